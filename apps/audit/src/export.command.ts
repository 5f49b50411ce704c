import { historiesMatching, writeHistoryFile } from '@tlo/audit';
import { UsageError, codecKeyRing, connect, temporalTarget } from './audit-environment';

export interface ExportFlags {
  query?: string;
  out?: string;
  address?: string;
  namespace?: string;
}

/** `audit:export --query '<visibility query>' --out <dir>`: one JSON file per matching run. */
export async function exportCommand(flags: ExportFlags): Promise<number> {
  if (!flags.query) throw new UsageError('--query is required (a Temporal visibility query)');
  if (!flags.out) throw new UsageError('--out is required (the directory to write histories to)');
  const target = temporalTarget(flags);
  const client = await connect(target, codecKeyRing());
  let exported = 0;
  try {
    for await (const workflow of historiesMatching(client, flags.query)) {
      const path = writeHistoryFile(flags.out, workflow);
      exported += 1;
      process.stdout.write(
        `exported ${workflow.workflowId} run ${workflow.runId} (${workflow.history.events?.length ?? 0} events) → ${path}\n`,
      );
    }
  } finally {
    await client.connection.close();
  }
  process.stdout.write(
    `${exported} ${exported === 1 ? 'history' : 'histories'} exported from ${target.address} (${target.namespace})\n`,
  );
  return exported === 0 ? 1 : 0;
}
