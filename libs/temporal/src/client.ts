import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from './encryption-codec';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  codecKeyRing: string;
}

export async function connectTemporalClient(options: TemporalClientOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({
    connection,
    namespace: options.namespace,
    dataConverter: dataConverterFor(options.codecKeyRing),
  });
}
