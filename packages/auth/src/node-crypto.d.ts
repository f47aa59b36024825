// The few Node declarations crypto-node.ts uses, for the build, which compiles without Node's types
// (`types: []`) so that nothing else in the package can use a Node API unnoticed. The type check
// (tsconfig.json) has @types/node and excludes this file.
declare module "node:crypto" {
  interface Digest {
    update(data: string | Uint8Array): Digest;
    digest(): Uint8Array;
    digest(encoding: "hex" | "base64"): string;
  }
  export function createHash(algorithm: string): Digest;
  export function hash(algorithm: string, data: string | Uint8Array, outputEncoding: "hex"): string;
  export function createHmac(algorithm: string, key: string | Uint8Array): Digest;
}

declare const process: {
  getBuiltinModule(id: "node:crypto"): typeof import("node:crypto");
};
