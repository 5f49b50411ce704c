import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { dataConverterFor } from './encryption-codec';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  codecKeyRing: string;
  workflowInterceptors?: WorkflowClientInterceptor[];
}

export async function connectTemporalClient(options: TemporalClientOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({
    connection,
    namespace: options.namespace,
    dataConverter: dataConverterFor(options.codecKeyRing),
    interceptors: { workflow: options.workflowInterceptors ?? [] },
  });
}
