import { join } from 'node:path';
import { existsSync } from 'node:fs';
import {
  type WorkflowHistory,
  formatReplayOutcome,
  historiesInDirectory,
  historiesMatching,
  replayHistories,
  workflowIdQuery,
} from '@tlo/audit';
import { REPO_ROOT, dataConverterFor } from '@tlo/temporal';
import { UsageError, codecKeyRing, connect, quietSdkRuntime, temporalTarget } from './audit-environment';

export interface ReplayFlags {
  dir?: string;
  query?: string;
  'workflow-id'?: string;
  bundle?: string;
  address?: string;
  namespace?: string;
}

/**
 * `audit:replay (--dir | --query | --workflow-id)`: replays every history against the current workflow
 * code (or `--bundle`), one line per run; exit 1 on any failure.
 */
export async function replayCommand(flags: ReplayFlags): Promise<number> {
  const sources = [flags.dir, flags.query, flags['workflow-id']].filter((value) => value !== undefined);
  if (sources.length !== 1) throw new UsageError('give exactly one of --dir, --query, --workflow-id');
  const bundle = flags.bundle ?? join(REPO_ROOT, 'dist', 'workflow-bundle.js');
  if (!existsSync(bundle)) throw new UsageError(`no workflow bundle at ${bundle}: run npm run build`);
  const keyRing = codecKeyRing();
  if (!keyRing) {
    throw new UsageError(
      'replay needs the payload codec key to decode workflow inputs: set PAYLOAD_CODEC_KEYS (or run where npm start keeps .data/secrets.json)',
    );
  }
  quietSdkRuntime();
  const client = flags.dir === undefined ? await connect(temporalTarget(flags), keyRing) : null;
  let histories: Iterable<WorkflowHistory> | AsyncIterable<WorkflowHistory>;
  if (flags.dir !== undefined) histories = historiesInDirectory(flags.dir);
  else histories = historiesMatching(client!, flags.query ?? workflowIdQuery(flags['workflow-id']!));

  let replayed = 0;
  let failed = 0;
  try {
    for await (const outcome of replayHistories(histories, {
      workflowBundle: { codePath: bundle },
      dataConverter: dataConverterFor(keyRing),
    })) {
      replayed += 1;
      if (outcome.failure) failed += 1;
      process.stdout.write(`${formatReplayOutcome(outcome)}\n`);
    }
  } finally {
    await client?.connection.close();
  }
  if (replayed === 0) {
    process.stdout.write('no history matched\n');
    return 1;
  }
  process.stdout.write(`${replayed} replayed against ${bundle}: ${replayed - failed} OK, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
