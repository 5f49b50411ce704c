import { defineUpdate } from '@temporalio/workflow';
import type { FopInstrumentContext, PersistedChart } from '@tlo/machines';

/** Message definitions of the tokenized-FOP instrument, importable by clients. */
export interface FopInstrumentInput {
  associationId: string;
  accountId: string;
  /** SHA-256 of the Google Payment Token: the token itself never enters history. */
  gptHash: string;
  tokenLifetimeMs: number;
  maxTransitionsPerRun?: number;
  resume?: { chart: PersistedChart<FopInstrumentContext> };
}

export interface AssociateAnswer {
  result: 'SUCCESS' | 'ASSOCIATION_ID_ALREADY_USED' | 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED';
  accountId?: string;
  tokenExpiresAt?: string;
}

export interface RefreshAnswer {
  result: 'SUCCESS' | 'TOKEN_CLOSED' | 'ACCOUNT_MISMATCH' | 'UNKNOWN_GOOGLE_PAYMENT_TOKEN';
  tokenExpiresAt?: string;
}

/** The association's outcome; a repeat of the same association answers the same. */
export const associateUpdate = defineUpdate<AssociateAnswer, [{ accountId: string; gptHash: string }]>(
  'associate',
);
export const refreshTokenUpdate = defineUpdate<RefreshAnswer, [{ accountId: string; gptHash: string }]>(
  'refreshToken',
);
