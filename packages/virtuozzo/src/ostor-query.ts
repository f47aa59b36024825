/**
 * The ostor admin API names each call by a value-less query flag on `/` (`/?ostor-users`), and its
 * other flags (`space`) are value-less too: `?ostor-users=` or `space=true` are different requests.
 * The spec keys each call by its flag (`"/?ostor-users"`), so openapi-fetch builds
 * `/?ostor-users?id=…`; `ostorQuery` joins the two with `&` and renders boolean flags bare.
 */
import { keepSource } from "@bucketry/core";
import type { Middleware } from "openapi-fetch";

/** `{ id: "a b", space: true, enable: false }` → `id=a%20b&space`: `true` is a bare flag, `false` is left out. */
export function serializeOstorQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === false) continue;
    parts.push(value === true ? encode(name) : `${encode(name)}=${encode(String(value))}`);
  }
  return parts.join("&");
}

/**
 * Joins the call's flag from the path key and the serialised parameters into one query string.
 * Register it before any signer: the signature must cover the query as it is finally sent.
 */
export const ostorQuery: Middleware = {
  onRequest({ request, schemaPath }) {
    if (!schemaPath.includes("?")) return undefined;
    const flag = schemaPath.slice(schemaPath.indexOf("?"));
    const end = request.url.indexOf(flag) + flag.length;
    if (request.url[end] !== "?") return undefined;
    const url = `${request.url.slice(0, end)}&${request.url.slice(end + 1)}`;
    return keepSource(new Request(url, request), request);
  },
};

// RFC 3986: encodeURIComponent leaves !'()* bare, which S3-style servers treat as reserved.
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
