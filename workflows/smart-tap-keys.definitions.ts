import { defineUpdate } from '@temporalio/workflow';
import type { RotationPolicy } from '@tlo/domain';
import type { PersistedChart, SmartTapKeysContext, SmartTapKeyVersion } from '@tlo/machines';
import { namedFailure } from './shared/failures';

/** Message definitions of an issuer's Smart Tap key-set actor, importable by clients. */
export interface SmartTapKeysInput {
  issuerId: string;
  policy: RotationPolicy;
  /** Default true; false when the actor is started by a rotate-now, which then creates the first key. */
  createFirstKey?: boolean;
  maxTransitionsPerRun?: number;
  resume?: { chart: PersistedChart<SmartTapKeysContext> };
}

export interface KeySetAnswer {
  state: string;
  keys: SmartTapKeyVersion[];
}

/** Rotates now: a new ACTIVE version; the previous one authenticates until the grace ends. */
export const rotateNowUpdate = defineUpdate<KeySetAnswer>('rotateNow');
/** Retires a version at once (compromise); if it was the active one, a new version is created. */
export const revokeKeyUpdate = defineUpdate<KeySetAnswer, [{ version: number }]>('revokeKey');
export const rotationPolicyUpdate = defineUpdate<KeySetAnswer, [RotationPolicy]>('rotationPolicy');

/** What the key set refuses, with the API's answer beside each. */
export const SmartTapKeysFailures = {
  /** Revoking a version the key set does not have, or has already retired. */
  unknownKeyVersion: namedFailure('UnknownKeyVersion', {
    status: 400,
    code: 'INVALID_FIELD',
    field: 'version',
  }),
  /** A rotation policy whose grace is not shorter than its period. */
  invalidPolicy: namedFailure('InvalidPolicy', { status: 400, code: 'INVALID_FIELD', field: 'graceSeconds' }),
} as const;
