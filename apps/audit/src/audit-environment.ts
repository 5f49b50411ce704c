import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { secretsPath, temporalConnectionOptions } from '@tlo/config';
import { KeyRing } from '@tlo/crypto';
import { EncryptionCodec, connectTemporalClient } from '@tlo/temporal';
import type { Client } from '@temporalio/client';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface TemporalTarget {
  address: string;
  namespace: string;
}

export function temporalTarget(flags: { address?: string; namespace?: string }): TemporalTarget {
  return {
    address: flags.address ?? process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: flags.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default',
  };
}

/**
 * The payload codec key ring, when this machine has one: `PAYLOAD_CODEC_KEYS`, else the development
 * secrets `npm start` generated (never generated here). Null means payloads stay encrypted.
 */
export function codecKeyRing(): string | null {
  if (process.env.PAYLOAD_CODEC_KEYS) return process.env.PAYLOAD_CODEC_KEYS;
  const path = secretsPath(resolve(process.env.TLO_DATA_DIR ?? '.data'));
  if (!existsSync(path)) return null;
  const secrets = JSON.parse(readFileSync(path, 'utf8')) as { payloadCodecKeys?: string };
  return secrets.payloadCodecKeys ?? null;
}

export function payloadCodec(keyRing: string | null): PayloadCodec | undefined {
  return keyRing ? new EncryptionCodec(KeyRing.parse(keyRing)) : undefined;
}

export async function connect(target: TemporalTarget, keyRing: string | null): Promise<Client> {
  // TLS and API key as the worker has them (TEMPORAL_TLS_*, TEMPORAL_API_KEY); the address as given.
  const connection = { ...temporalConnectionOptions(process.env), address: target.address };
  try {
    return await connectTemporalClient({ connection, namespace: target.namespace, codecKeyRing: keyRing });
  } catch (error) {
    throw new Error(
      `cannot reach Temporal at ${target.address} (${(error as Error).message}); set TEMPORAL_ADDRESS or --address`,
    );
  }
}

/** Replay runs a worker in-process: keep the SDK's own logs to errors so each workflow is one line. */
export function quietSdkRuntime(): void {
  Runtime.install({
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message, meta) =>
        process.stderr.write(`[sdk] ${message} ${meta ? JSON.stringify(meta) : ''}\n`),
    },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
}
