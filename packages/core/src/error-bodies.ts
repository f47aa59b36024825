/**
 * The generic reading of an error body: JSON, XML or HTML, or plain text. A provider's own shape
 * (its field names, a header that carries the message) is read by the provider's {@link ErrorFormat},
 * usually this reader with its own JSON picker.
 */

/** What an error body said. `body` is the parsed JSON, or the text as received. */
export interface ParsedErrorBody {
  code?: string | undefined;
  message?: string | undefined;
  /** A request id found in the body, when there is one. */
  requestId?: string | undefined;
  body: unknown;
}

/** The code, message and request id a provider finds in a JSON error body. */
export type JsonErrorFields = (json: unknown) => Omit<ParsedErrorBody, "body">;

/**
 * How a provider's answers name their errors; passed to the pipeline (`PipelineSetup.errors`) and
 * to every error built from an answer (`ErrorContext.format`).
 */
export interface ErrorFormat {
  /** The header that carries the provider's request id, lower case; `x-request-id` by default. */
  readonly requestId?: string | undefined;
  /** Reads the provider's code and message from an error body; {@link parseErrorBody} by default. */
  readonly parse?: ((text: string, headers: Headers) => ParsedErrorBody) | undefined;
}

/**
 * Reads an error body: JSON through `fields` (by default `code` and `message`, top level or under
 * `error`), XML's `<Code>`, `<Message>` and `<RequestId>`, an HTML page's text, or a text's first line.
 */
export function parseErrorBody(text: string, fields: JsonErrorFields = genericFields): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const json: unknown = JSON.parse(trimmed);
      return { ...fields(json), body: json };
    } catch {
      // Not JSON after all (a truncated body): fall through to text.
    }
  }
  if (trimmed.startsWith("<")) {
    const message = xmlElement(trimmed, "Message") ?? firstLine(decodeXml(htmlToText(trimmed)));
    return {
      code: xmlElement(trimmed, "Code"),
      message,
      requestId: xmlElement(trimmed, "RequestId"),
      body: text,
    };
  }
  return { message: firstLine(trimmed), body: text };
}

/** The request id of an answer, from the format's header (`x-request-id` by default). */
export function requestIdOf(headers: Headers, format?: ErrorFormat): string | undefined {
  return headers.get(format?.requestId ?? "x-request-id") || undefined;
}

function genericFields(json: unknown): Omit<ParsedErrorBody, "body"> {
  const outer = record(json);
  const inner = record(outer.error);
  return { code: text(inner.code) ?? text(outer.code), message: text(inner.message) ?? text(outer.message) };
}

/** The decoded text of `<name>…</name>`, when the XML has it. */
export function xmlElement(xml: string, name: string): string | undefined {
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

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");
}

/** The first line of a text, trimmed and at most 300 characters; undefined when empty. */
export function firstLine(text: string): string | undefined {
  const line = text.split("\n", 1)[0]?.trim();
  return line ? line.slice(0, 300) : undefined;
}

/** A non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** An object's fields, or none for anything else. */
export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
