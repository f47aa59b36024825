/**
 * What the CLI writes: tables that fit the terminal (cells cut with "…", East Asian wide characters
 * counted as two columns), colours only on a terminal without `NO_COLOR`, JSON that never shows a
 * secret or chokes on a bigint, and writes that wait when the pipe is full.
 */

/** A stream the CLI writes to (process.stdout/stderr, or a test's). */
export interface Output {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
  once?(event: "drain" | "error" | "close", listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: "drain" | "error" | "close", listener: (...args: unknown[]) => void): unknown;
  writableLength?: number;
  destroyed?: boolean;
}

/** The streams and environment a command runs with. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborts on Ctrl-C: a listing stops, says how far it got, and exits 130. */
  signal?: AbortSignal;
}

/** Whether to colour `stream`: a terminal, and `NO_COLOR` unset or empty (no-color.org). */
export function useColor(stream: Output, env: CliIo["env"]): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/** The width tables must fit: the terminal's, else `COLUMNS`, else unlimited (a pipe or a file). */
export function outputWidth(stream: Output, env: CliIo["env"]): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : Number.POSITIVE_INFINITY;
}

/** ANSI styles, or none. */
export function styles(color: boolean) {
  const wrap = (open: number, close: number) => (text: string) =>
    color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
  };
}

/** Writes `text`, waiting for the stream to drain when its buffer is full; rejects once the reader is gone. */
export async function write(stream: Output, text: string): Promise<void> {
  if (stream.destroyed) throw new ClosedOutputError();
  if (stream.write(text) || !stream.once || !stream.removeListener) return;
  const on = stream.once.bind(stream);
  const off = stream.removeListener.bind(stream);
  await new Promise<void>((resolve, reject) => {
    // Whichever comes first settles it; the other listeners go, so none pile up over many writes.
    const settle = (closed: boolean) => () => {
      for (const event of ["drain", "close", "error"] as const)
        off(event, event === "drain" ? drained : gone);
      if (closed) reject(new ClosedOutputError());
      else resolve();
    };
    const drained = settle(false);
    const gone = settle(true);
    on("drain", drained);
    on("close", gone);
    on("error", gone);
  });
}

/** The reader went away (`bucketry buckets | head`): stop listing, quietly. */
export class ClosedOutputError extends Error {
  override name = "ClosedOutputError" as const;
}

// Server-supplied names must not drive the terminal: C0/C1 controls (ESC included) are shown as "�".
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text safe to print on a terminal. */
export function printable(text: string): string {
  return text.replace(CONTROL, "\ufffd");
}

/** Columns a code point takes on a terminal: 0 (combining), 2 (East Asian wide, emoji) or 1. */
function codePointWidth(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || code === 0xfe0f) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** How many terminal columns `text` takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0) as number);
  return width;
}

/** `text` cut to `width` columns, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0) as number);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** A table column. */
export interface Column {
  title: string;
  align?: "left" | "right";
  /** The column that matters most (a name): narrowed only after the others are down to their titles. */
  primary?: boolean;
}

const GAP = 2;
const MIN_WIDTH = 4;
/** How narrow the primary column gets before numbers are cut. */
const PRIMARY_WIDTH = 16;

/**
 * The table as text, every line at most `width` columns. Columns are narrowed widest first: text
 * columns down to their titles, then the primary one to 16, then numbers to their titles, then the
 * primary one to its title, then all down to 4; cells that no longer fit are cut with "…". Empty
 * cells show "-" (dimmed).
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  options: { width: number; color: boolean },
): string {
  const style = styles(options.color);
  const cells = rows.map((row) => row.map((cell) => printable(cell)));
  const widths = columns.map((column, i) =>
    Math.max(displayWidth(column.title), ...cells.map((row) => displayWidth(row[i] || "-"))),
  );
  let excess = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1) - options.width;
  const titles = columns.map((c) => Math.max(MIN_WIDTH, displayWidth(c.title)));
  const narrow = (which: (column: Column) => boolean, floor: (i: number) => number) => {
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        const w = widths[i] as number;
        if (which(columns[i] as Column) && w > floor(i) && (widest < 0 || w > (widths[widest] as number))) {
          widest = i;
        }
      }
      if (widest < 0) return;
      widths[widest] = (widths[widest] as number) - 1;
      excess -= 1;
    }
  };
  const title = (i: number) => titles[i] as number;
  // Numbers cut short mislead; names cut short still help. So: text, then the name, then numbers.
  narrow((c) => c.align !== "right" && !c.primary, title);
  narrow(
    (c) => c.primary === true,
    (i) => Math.max(title(i), PRIMARY_WIDTH),
  );
  narrow((c) => c.align === "right", title);
  narrow((c) => c.primary === true, title);
  narrow(
    () => true,
    () => MIN_WIDTH,
  );

  const last = columns.length - 1;
  const pad = (text: string, i: number) => {
    const cut = truncate(text, widths[i] as number);
    const space = " ".repeat(Math.max(0, (widths[i] as number) - displayWidth(cut)));
    if (columns[i]?.align === "right") return space + cut;
    // No trailing blanks (they would sit inside a colour code, out of trimEnd's reach).
    return i === last ? cut : cut + space;
  };
  const line = (row: string[], dressed: (text: string, i: number) => string) =>
    row.map((cell, i) => dressed(pad(cell, i), i)).join(" ".repeat(GAP));
  const header = line(
    columns.map((c) => c.title),
    (text) => style.bold(text),
  );
  const body = cells.map((row) =>
    line(
      columns.map((_, i) => row[i] || "-"),
      (text, i) => (row[i] ? text : style.dim(text)),
    ),
  );
  return `${[header, ...body].join("\n")}\n`;
}

/** JSON that writes bigints as decimal strings (`Secret`s already serialise as [REDACTED]). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}

/** Bytes as a short IEC size: `512 B`, `8.7 GiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A count and its noun, plural unless it is one: `1 bucket`, `3,000 buckets`. */
export function counted(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : `${noun}s`}`;
}

/** A count with thousands separators (`3,000`), the same in every locale. */
export function formatCount(value: number | undefined): string {
  return value === undefined ? "" : value.toLocaleString("en-US");
}

/** A date as `2022-10-26 15:25` (UTC). */
export function formatDate(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 16).replace("T", " ") : "";
}
