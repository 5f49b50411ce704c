import { type History, auditTrail, formatTrailTable, readHistoryFile } from '@tlo/audit';
import { isGrpcServiceError } from '@temporalio/client';
import { UsageError, codecKeyRing, connect, payloadCodec, temporalTarget } from './audit-environment';

const GRPC_NOT_FOUND = 5;

export interface TrailFlags {
  file?: string;
  format?: string;
  'run-id'?: string;
  'no-decrypt'?: boolean;
  address?: string;
  namespace?: string;
}

/**
 * `audit:trail (<workflowId> | --file <history.json>) [--format table|json]`: the lifecycle's story
 * from its history alone. Payloads are decrypted only when the codec key is available.
 */
export async function trailCommand(workflowId: string | undefined, flags: TrailFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError('--format is table or json');
  if ((workflowId === undefined) === (flags.file === undefined))
    throw new UsageError('give a workflow id or --file <history.json>, not both');
  const keyRing = flags['no-decrypt'] ? null : codecKeyRing();
  let history: History;
  if (flags.file !== undefined) history = readHistoryFile(flags.file).history;
  else {
    const client = await connect(temporalTarget(flags), keyRing);
    try {
      history = await client.workflow.getHandle(workflowId!, flags['run-id']).fetchHistory();
    } catch (error) {
      // fetchHistory passes the server's gRPC error through: code 5 is NOT_FOUND.
      if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND)
        throw new Error(
          `no workflow ${workflowId}${flags['run-id'] ? ` run ${flags['run-id']}` : ''} in this namespace`,
        );
      throw error;
    } finally {
      await client.connection.close();
    }
  }
  const trail = await auditTrail(history, { codec: payloadCodec(keyRing) });
  process.stdout.write(
    format === 'json' ? `${JSON.stringify(trail, null, 2)}\n` : `${formatTrailTable(trail)}\n`,
  );
  return 0;
}
