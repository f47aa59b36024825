/**
 * Reads a provider's error code and message out of every documented error body shape:
 * - Huawei flat `{error_code, error_msg}` (MPC), flat with `details[]` and
 *   `encoded_authorization_message` (DBSS), nested `{error: {code|error_code, message|error_msg}}`,
 *   and the API gateway's `{error_code: "APIGW.0301", error_msg, request_id}`;
 * - Hitachi `{code, message, details}`;
 * - S3-style XML `<Error><Code/><Message/></Error>` (ostor, and MPC's OBS-style 403) and ostor's
 *   `X-Amz-Err-Message` header;
 * - Swift's short text or HTML bodies (`Maximum limit is 10000`, `<h1>Unauthorized</h1>`);
 * - Keystone's `{error: {code: 401, title, message}}` and OAuth's `{error, error_description}` (Keycloak).
 */

/** What an error body said. `body` is the parsed JSON, or the text as received. */
export interface ParsedErrorBody {
  code?: string;
  message?: string;
  /** A request id found in the body (Huawei's gateway sends `request_id`), when there is one. */
  requestId?: string;
  body: unknown;
}

/** The provider's error code and message from any documented error body shape (see the file comment). */
export function parseErrorBody(text: string, headers: Headers): ParsedErrorBody {
  const headerMessage = headers.get("x-amz-err-message") ?? undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const json: unknown = JSON.parse(trimmed);
      return { ...fromJson(json), body: json };
    } catch {
      // Not JSON after all (a truncated body): fall through to text.
    }
  }
  if (trimmed.startsWith("<")) {
    const code = xmlElement(trimmed, "Code");
    const message = xmlElement(trimmed, "Message") ?? headerMessage ?? htmlText(trimmed);
    return { code, message, requestId: xmlElement(trimmed, "RequestId"), body: text };
  }
  return { message: headerMessage ?? firstLine(trimmed), body: text };
}

function fromJson(json: unknown): { code?: string; message?: string; requestId?: string } {
  if (!isRecord(json)) return {};
  const outer = json;
  const inner = isRecord(outer.error) ? outer.error : outer;
  // Keystone's `{error: {code: 401, title: "Unauthorized", message}}` has a numeric code: the title names it.
  // OAuth servers (Keycloak's token endpoint) answer `{error: "invalid_grant", error_description}`.
  const code =
    str(inner.error_code) ?? str(inner.code) ?? str(outer.error_code) ?? str(inner.title) ?? str(outer.error);
  const message =
    str(inner.error_msg) ??
    str(inner.message) ??
    str(outer.error_msg) ??
    str(outer.message) ??
    str(outer.error_description);
  const details = str(outer.details);
  const requestId = str(outer.request_id) ?? str(inner.request_id);
  return { code, message: details && message ? `${message} (${details})` : (message ?? details), requestId };
}

function xmlElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1] ? decodeXml(match[1].trim()) : undefined;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function htmlText(html: string): string | undefined {
  const text = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ");
  return firstLine(decodeXml(text.replace(/\s+/g, " ")));
}

function firstLine(text: string): string | undefined {
  const line = text.split("\n", 1)[0]?.trim();
  return line ? line.slice(0, 300) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
