// Interleaved timing: every candidate runs one batch per round, in an order rotated each round, so
// drift (thermal, other load on the machine) hits every candidate alike. Used by the sections.

/**
 * Times `candidates` (`{ name, prepare?(i), run(input), sync? }`): `warmup` untimed batches each,
 * then `rounds` rounds of one timed batch of `batch` calls each. Inputs come from `prepare` before the
 * clock starts (a fresh one per call). Returns `{ [name]: opsPerSecond[] }`, one sample per round.
 */
export async function interleave(candidates, { rounds, batch, warmup = 1 }) {
  const samples = Object.fromEntries(candidates.map((c) => [c.name, []]));
  const once = async (candidate) => {
    const inputs = Array.from({ length: batch }, (_, i) => candidate.prepare?.(i));
    // Collect the previous candidate's garbage now, not during this one's batch.
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    if (candidate.sync) for (let i = 0; i < batch; i++) candidate.run(inputs[i]);
    else for (let i = 0; i < batch; i++) await candidate.run(inputs[i]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return batch / seconds;
  };
  for (let w = 0; w < warmup; w++) for (const c of candidates) await once(c);
  for (let round = 0; round < rounds; round++) {
    const order = candidates.map((_, i) => candidates[(i + round) % candidates.length]);
    for (const c of order) samples[c.name].push(await once(c));
  }
  return samples;
}

/** Load average and the time, to print next to figures taken on a shared machine. */
export async function loadAverage() {
  const { loadavg } = await import("node:os");
  return loadavg().map((n) => n.toFixed(2));
}
