// Closed-loop load: `concurrency` clients each start `op` back to back for `durationMs`; what is in
// flight at the window's end is awaited, so a run never spills into the next. Throughput is every
// completed operation over the time until the last one finished (a short window against slow
// operations still gives a rate, not zero).

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function closedLoop({ concurrency, durationMs, op }) {
  const latencies = [];
  const errors = new Map();
  let completed = 0;
  const started = performance.now();
  const end = started + durationMs;
  const client = async (index) => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op(index);
        latencies.push(performance.now() - t0);
        completed += 1;
      } catch (error) {
        const kind = String(error?.message ?? error).slice(0, 80);
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => client(index)));
  const finished = performance.now();
  latencies.sort((a, b) => a - b);
  return {
    reqPerS: completed / ((finished - started) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    completed,
    errors: [...errors.values()].reduce((a, b) => a + b, 0),
    errorKinds: [...errors.entries()],
    drainMs: finished - end,
  };
}

const median = (values) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

module.exports = { closedLoop, median, percentile };
