import { describe, expect, it } from "vitest";
import { rfc3986, safeDecode } from "../src/encoding.js";

describe("rfc3986", () => {
  it("encodes everything but the unreserved characters, including !'()*", () => {
    expect(rfc3986("a-_.~Z09")).toBe("a-_.~Z09");
    expect(rfc3986("!'()* /?#[]@&=+$,;:%")).toBe(
      "%21%27%28%29%2A%20%2F%3F%23%5B%5D%40%26%3D%2B%24%2C%3B%3A%25",
    );
    expect(rfc3986("ü日")).toBe("%C3%BC%E6%97%A5");
  });
});

describe("safeDecode", () => {
  it("decodes well-formed escapes", () => {
    expect(safeDecode("%C3%BC%20a")).toBe("ü a");
  });

  it("keeps malformed escapes and still decodes the valid ones byte-wise", () => {
    expect(safeDecode("50%")).toBe("50%");
    expect(safeDecode("%zz%C3%BC")).toBe("%zzü");
    expect(rfc3986(safeDecode("%zz%C3%BC"))).toBe("%25zz%C3%BC");
  });
});
