// Statistics and number formatting shared by the benchmark sections (bench/src/main.mjs and sections/*).

/** The q-quantile (0..1) of an ascending array, linearly interpolated. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, quartiles, extremes and median absolute deviation of samples. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted.at(-1),
    mad: quantile(deviations, 0.5),
  };
}

/** `12,345` */
export function int(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–";
}

/** A number with `digits` decimals. */
export function fixed(n, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : "–";
}

/** `0.83x` */
export function ratio(n) {
  return Number.isFinite(n) ? `${n.toFixed(2)}x` : "–";
}

/** Bytes as `2.5 KiB` / `1.2 MiB`. */
export function bytes(n) {
  if (!Number.isFinite(n)) return "–";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `p25–p75` of a summary, formatted with `format`. */
export function spread(summary, format = int) {
  return `${format(summary.p25)}–${format(summary.p75)}`;
}

/** A Markdown table from a header row and body rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
