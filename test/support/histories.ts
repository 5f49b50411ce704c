import type { Payload } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ENCRYPTED_ENCODING } from '@tlo/temporal';

/** A workflow's history exactly as the server stores it (payloads still encrypted), as JSON. */
export async function rawHistoryJson(client: Client, workflowId: string): Promise<string> {
  return historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory());
}

/** The same history with every payload run through the codec: what an operator with the key sees. */
export async function decodedHistoryJson(
  client: Client,
  workflowId: string,
  codec: PayloadCodec,
): Promise<string> {
  const history = JSON.parse(await rawHistoryJson(client, workflowId));
  const decodeIn = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map(decodeIn));
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (
        record.metadata &&
        typeof record.metadata === 'object' &&
        'encoding' in (record.metadata as object)
      ) {
        const metadata = record.metadata as Record<string, string>;
        const payload: Payload = {
          metadata: Object.fromEntries(
            Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
          ),
          data: Buffer.from(String(record.data ?? ''), 'base64'),
        };
        // In clear already (e.g. the caller header): as the codec server shows it, not refused.
        const sealed = metadata.encoding === Buffer.from(ENCRYPTED_ENCODING).toString('base64');
        const [decoded] = sealed ? await codec.decode([payload]) : [payload];
        return {
          encoding: Buffer.from(decoded.metadata?.encoding ?? []).toString(),
          data: Buffer.from(decoded.data ?? []).toString('utf8'),
        };
      }
      const entries = await Promise.all(
        Object.entries(record).map(async ([k, v]) => [k, await decodeIn(v)] as const),
      );
      return Object.fromEntries(entries);
    }
    return node;
  };
  return JSON.stringify(await decodeIn(history));
}
