/**
 * The live counter of a long listing: one line on stderr, rewritten at most ten times a second and
 * erased at the end, only when stderr is a terminal (pipes and files get nothing).
 */
import type { Output } from "./output.js";
import { counted, formatCount } from "./output.js";

/** A counter that can be bumped per item and cleared when done. */
export interface Progress {
  /** Counts one more item of `provider`. */
  tick(provider: string): void;
  /** Erases the line. */
  done(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const INTERVAL_MS = 100;

/** A counter of `noun` (singular) on `stream`, or one that does nothing when `stream` is not a terminal. */
export function progress(stream: Output, noun: string, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return { tick() {}, done() {} };
  const counts = new Map<string, number>();
  let total = 0;
  let last = 0;
  let frame = 0;
  let shown = false;
  return {
    tick(provider) {
      total += 1;
      counts.set(provider, (counts.get(provider) ?? 0) + 1);
      const at = now();
      if (at - last < INTERVAL_MS) return;
      last = at;
      frame = (frame + 1) % FRAMES.length;
      const detail = [...counts].map(([name, n]) => `${name} ${formatCount(n)}`).join(", ");
      const text = `${FRAMES[frame]} ${counted(total, noun)} (${detail})`;
      const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : 79;
      stream.write(`\r\u001b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\u001b[2K");
      shown = false;
    },
  };
}
