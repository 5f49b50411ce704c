import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { dataConverterFor } from './encryption-codec';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  /** Null when this process holds no codec key: payloads then stay as stored (e.g. an auditor's export). */
  codecKeyRing: string | null;
  workflowInterceptors?: WorkflowClientInterceptor[];
}

export async function connectTemporalClient(options: TemporalClientOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({
    connection,
    namespace: options.namespace,
    dataConverter: options.codecKeyRing === null ? undefined : dataConverterFor(options.codecKeyRing),
    interceptors: { workflow: options.workflowInterceptors ?? [] },
  });
}
