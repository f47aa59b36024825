/**
 * The ostor admin API names each call by a value-less query flag on `/` (`/?ostor-users`), and its
 * other flags (`space`) are value-less too: `?ostor-users=` or `space=true` are different requests.
 * The spec keys each call by its flag (`"/?ostor-users"`), so openapi-fetch builds
 * `/?ostor-users?id=…`; `ostorQuery` joins the two with `&` and renders boolean flags bare.
 */
import type { AttemptStep } from "@bucketry/core/internal";

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
 * Joins the call's flag (`/?ostor-users`) and the serialised parameters into one query string, as
 * the first step of every attempt: the signature must cover the query as it is finally sent.
 */
export const ostorQuery: AttemptStep = {
  prepare(request) {
    const { url } = request;
    const query = url.indexOf("?");
    const second = url.indexOf("?", query + 1);
    if (query >= 0 && second > query) request.url = `${url.slice(0, second)}&${url.slice(second + 1)}`;
  },
};

// RFC 3986: encodeURIComponent leaves !'()* bare, which S3-style servers treat as reserved.
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
