import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TemporalConnectionOptions } from '@tlo/config';
import { dataConverterFor } from './encryption-codec';

export interface TemporalClientOptions {
  /** Address, TLS and API key, from `temporalConnectionOptions` (the worker connects with the same). */
  connection: TemporalConnectionOptions;
  namespace: string;
  /** Null when this process holds no codec key: payloads then stay as stored (e.g. an auditor's export). */
  codecKeyRing: string | null;
  workflowInterceptors?: WorkflowClientInterceptor[];
}

export async function connectTemporalClient(options: TemporalClientOptions): Promise<Client> {
  const connection = await Connection.connect(options.connection);
  return new Client({
    connection,
    namespace: options.namespace,
    dataConverter: options.codecKeyRing === null ? undefined : dataConverterFor(options.codecKeyRing),
    interceptors: { workflow: options.workflowInterceptors ?? [] },
  });
}
