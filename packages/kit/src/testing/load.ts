/**
 * A closed-loop load: `concurrency` loops, each sending the next request when the previous one has answered,
 * until `stop()`. Every outcome is kept in order of completion. For failure tests and benchmarks on loopback.
 */
export function closedLoop<T>(concurrency: number, once: (n: number) => Promise<T>, opts: { pauseMs?: (outcome: T) => number } = {}) {
  const outcomes: T[] = [];
  let stopped = false;
  let n = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopped) {
      const outcome = await once(++n);
      outcomes.push(outcome);
      const pause = opts.pauseMs?.(outcome) ?? 0;
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
  });
  return {
    outcomes,
    async stop(): Promise<T[]> {
      stopped = true;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** The p-th percentile (0–100) of numbers, exact (sorted copy). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
