/**
 * What the three signers share: the request parts they read, the signature they return, the pipeline
 * step that signs every attempt afresh, and the `Request`-in, `Request`-out wrapper.
 */
import { type AttemptStep, InvalidInputError } from "@bucketry/core/internal";

/** A request as a signer reads it: plain parts, never modified. */
export interface RequestParts {
  readonly method: string;
  /** The full URL as it would be sent. */
  readonly url: string;
  readonly headers: Headers;
  /** The exact bytes sent, or `null` for no body. */
  readonly body: Uint8Array | null;
}

/** What signing adds to a request. */
export interface RequestSignature {
  /** The headers to set (lower-case names), replacing any of the same name. */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL to send instead of the given one, when signing respelled it (SigV4's canonical encoding). */
  readonly url?: string | undefined;
}

// Signatures within one second share their date string: kept, so most calls skip formatting it.
let formattedSecond = Number.NaN;
let formatted = "";

/** `YYYYMMDDTHHMMSSZ` (ISO 8601 basic, UTC) of a date in years 0000–9999. */
export function basicIsoDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== formattedSecond) {
    const iso = date.toISOString();
    formatted = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    formattedSecond = second;
  }
  return formatted;
}

/** Static credentials, or a function returning the current ones (called once per attempt). */
export type CredentialsSource<C> = C | (() => C | Promise<C>);

/** A value, or a promise of it where it cannot be had at once (Web Crypto, a credentials function). */
export type MaybePromise<T> = T | Promise<T>;

/** `then(value)` at once when `value` is ready: a signature on node:crypto stays synchronous. */
export function settle<T, U>(value: MaybePromise<T>, then: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** Signs request parts with the given credentials at the given time. */
export type PartsSigner<C> = (
  parts: RequestParts,
  credentials: C,
  date: Date,
) => MaybePromise<RequestSignature>;

/**
 * The step that signs every attempt afresh: the credentials of the moment, a new date (a reused
 * one goes stale: gateways refuse a signing time minutes off), and the headers stamped in place.
 * Synchronous when the signer is, so the pipeline need not await it.
 */
export function signingStep<C extends object>(
  credentials: CredentialsSource<C>,
  sign: PartsSigner<C>,
): AttemptStep {
  const current = typeof credentials === "function" ? (credentials as () => MaybePromise<C>) : undefined;
  return {
    prepare(request) {
      const stamp = (signature: RequestSignature) => {
        setHeaders(request.headers, signature.headers);
        if (signature.url !== undefined) request.url = signature.url;
      };
      const signWith = (now: C) => settle(sign(request, now, new Date()), stamp);
      return current ? settle(current(), signWith) : signWith(credentials as C);
    },
  };
}

function setHeaders(target: Headers, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) target.set(name, headers[name]!);
}

/**
 * A new signed `Request` from `request`, which stays usable: its body is read once (from a clone)
 * and the new one is built from plain parts with the input's signal, never from the input itself.
 */
export async function signedRequest(
  request: Request,
  sign: (parts: RequestParts) => Promise<RequestSignature>,
): Promise<Request> {
  if (request.bodyUsed) {
    throw new InvalidInputError("request", "its body has already been read, so it cannot be signed");
  }
  const body = request.body === null ? null : new Uint8Array(await request.clone().arrayBuffer());
  const parts = { method: request.method, url: request.url, headers: request.headers, body };
  const signature = await sign(parts);
  const signed = new Request(signature.url ?? request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    redirect: request.redirect,
    credentials: request.credentials,
    cache: request.cache,
    integrity: request.integrity,
    keepalive: request.keepalive,
    referrer: request.referrer,
    referrerPolicy: request.referrerPolicy,
    mode: request.mode === "navigate" ? "same-origin" : request.mode,
  });
  setHeaders(signed.headers, signature.headers);
  return signed;
}
