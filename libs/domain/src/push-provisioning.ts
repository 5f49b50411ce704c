import { LIFECYCLES } from './lifecycles';
import type { CardAddress } from './card';
import type { PartnerEventName, Wallet } from './wallet';

/** What Apple's SDK hands the issuer app for one provisioning attempt (hex, hex, PEM chain leaf first). */
export interface ApplePayProvisioningRequest {
  nonce: string;
  nonceSignature: string;
  appleCertificate: string;
}

export interface PushProvisioningInput {
  proxy: string;
  wallet: Wallet;
}

export interface PayloadRequest {
  /** Caller's correlation id; the HTTP request id. */
  requestId: string;
  applePay?: ApplePayProvisioningRequest;
}

/** Bankly 200 answer. */
export interface WalletPayload {
  data: string;
  lastFourDigits: string;
  phoneNumber: string;
  address: CardAddress;
}

/** Reasons a card cannot be pushed, each with the code the HTTP contract names. */
export const CARD_REJECTIONS = {
  CARD_NOT_FOUND: { status: 404, code: '002', message: 'Card Not Found' },
  CARD_BEING_CREATED: { status: 409, code: '029', message: 'The card is in the process of being created' },
  CARD_NOT_ACTIVE: { status: 422, code: 'CARD_NOT_ACTIVE', message: 'The card is not active' },
} as const;
export type CardRejection = keyof typeof CARD_REJECTIONS;

export type CardEligibility =
  { eligible: true; lastFourDigits: string } | { eligible: false; reason: CardRejection };

export type PayloadOutcome =
  { ok: true; payload: WalletPayload } | { ok: false; reason: CardRejection | 'ALREADY_FINISHED' };

export interface WalletEvent {
  eventType: 'TOKEN_ACTIVATED' | 'TOKEN_DELETED';
  tokenReferenceId: string;
}

export interface PartnerEvent {
  /** Deterministic: the receiver deduplicates on it. */
  eventId: string;
  name: PartnerEventName;
  proxy: string;
  wallet: Wallet;
  tokenReferenceId: string;
  occurredAt: string;
}

export const pushProvisioningWorkflowId = LIFECYCLES.pushProvisioning.workflowId;
