import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { runScript, type ScriptRun } from '../support/scripts';

const BENCH_TIMEOUT_MS = 600_000;

/** The rows of the markdown table printed under `## <title>`, as cells. */
function tableUnder(stdout: string, title: string): string[][] {
  const start = stdout.indexOf(`## ${title}`);
  if (start < 0) return [];
  const lines = stdout.slice(start).split('\n').slice(1);
  const firstRow = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(firstRow)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows.filter((row) => !row[0].startsWith('-')).slice(1); // without the header and the rule
}

/** A cell's leading number: "3.2 (1.0–4.1)" → 3.2. */
const numberIn = (cell: string): number => Number(/^-?\d+(\.\d+)?/.exec(cell)?.[0] ?? NaN);

describe('npm run bench -- --quick', () => {
  let run: ScriptRun;

  beforeAll(async () => {
    run = await runScript('bench.js', ['--quick']);
  }, BENCH_TIMEOUT_MS);

  it('finishes, having said how long it may take', () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/bounded at about \d+ min/);
  });

  it('stops every process it started and removes its data dir', () => {
    const dataDir = /starting the stack .* in (\S+)/.exec(run.stdout)![1];
    expect(existsSync(dataDir)).toBe(false);
    // FerretDB and the dev server name the data dir in their arguments; the worker and the API in their env.
    const mentioning = readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
          return cmdline.includes(dataDir) || environ.includes(dataDir);
        } catch {
          return false; // gone meanwhile, or not ours to read
        }
      });
    expect(mentioning).toEqual([]);
  });

  it('prints every case at concurrency 1, 8 and 32 with a rate and latencies', () => {
    const rows = tableUnder(run.stdout, 'Throughput');
    expect(rows.map((row) => `${row[0]} @${row[1]}`)).toEqual(
      [
        'product: GooglePay push provisioning',
        'product: push lifecycle + wallet events',
        'product: yellow path (webhook OTP)',
        'same-shape bare Temporal',
        'floor: empty update-with-start',
      ].flatMap((name) => [1, 8, 32].map((concurrency) => `${name} @${concurrency}`)),
    );
    for (const [, , rate, p50, p99, errors] of rows) {
      expect(numberIn(rate)).toBeGreaterThan(0);
      expect(numberIn(p50)).toBeGreaterThan(0);
      expect(numberIn(p99)).toBeGreaterThanOrEqual(numberIn(p50));
      expect(errors).toMatch(/^\d+$/);
    }
  });

  it('prints the ratios of each product case to the baseline and the floor', () => {
    const rows = tableUnder(run.stdout, 'Ratios');
    expect(rows).toHaveLength(9);
    for (const [, , toBaseline, toFloor] of rows) {
      expect(numberIn(toBaseline)).toBeGreaterThan(0);
      expect(numberIn(toFloor)).toBeGreaterThan(0);
    }
  });

  it('measures DB time and latency after each preload, with what was preloaded', () => {
    const rows = tableUnder(run.stdout, 'Preloaded lifecycles');
    expect(rows.map((row) => row[0])).toEqual(['200', '1000']);
    for (const [target, inDb, inTemporal, measured, errors, dbMs, commands, , pushP50] of rows) {
      expect(inDb).toBe(target);
      expect(numberIn(inTemporal)).toBeGreaterThan(0);
      expect(numberIn(measured)).toBeGreaterThan(0);
      expect(errors).toBe('0');
      expect(numberIn(dbMs)).toBeGreaterThan(0);
      expect(numberIn(commands)).toBeGreaterThan(0);
      expect(numberIn(pushP50)).toBeGreaterThan(0);
    }
  });

  it('reads the RSS of the processes it started with and without idle actors', () => {
    const rows = tableUnder(run.stdout, 'Idle actors');
    expect(rows.map((row) => [row[0], row[1]])).toEqual([
      ['0', '0'],
      ['100', '100'],
    ]);
    for (const [, , worker, api, temporal, ferretdb, , pushP50] of rows) {
      for (const mb of [worker, api, temporal, ferretdb]) expect(numberIn(mb)).toBeGreaterThan(10);
      expect(numberIn(pushP50)).toBeGreaterThan(0);
    }
  });

  it('keeps the crypto micro-benchmarks and says how long each section took', () => {
    expect(tableUnder(run.stdout, 'Crypto micro-benchmarks')).toHaveLength(5);
    expect(tableUnder(run.stdout, 'Sections').map((row) => row[0])).toEqual([
      'stack start',
      'throughput',
      'idle actors',
      'preload',
      'crypto',
      'total',
    ]);
  });
});
