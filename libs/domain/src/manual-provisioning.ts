import { LIFECYCLES } from './lifecycles';
import type { CardStatus } from './card';
import type { Wallet } from './wallet';

/** The issuer's answer to a manually entered card. */
export type TokenizationDecision = 'GREEN' | 'YELLOW' | 'RED';
export type OtpChannel = 'SMS' | 'EMAIL';
export const OTP_DELIVERIES = ['DIRECT', 'WEBHOOK'] as const;
export type OtpDelivery = (typeof OTP_DELIVERIES)[number];

export interface VerificationMethod {
  id: string;
  channel: OtpChannel;
  /** Masked: `+55*******2342`, `m***@example.com`. */
  target: string;
}

export interface CardProgram {
  programId: string;
  otpDelivery: OtpDelivery;
  webhookUrl: string | null;
  otpTtlSeconds: number;
  maxAttempts: number;
  maxSends: number;
  yellowPathTtlSeconds: number;
}

export const DEFAULT_PROGRAM_ID = 'default';
export const PROGRAM_DEFAULTS = {
  otpDelivery: 'DIRECT' as OtpDelivery,
  otpTtlSeconds: 10 * 60,
  maxAttempts: 3,
  maxSends: 3,
  yellowPathTtlSeconds: 30 * 24 * 3600,
};

export interface TokenizationRequest {
  requestId: string;
  proxy: string;
  wallet: Wallet;
  deviceId: string;
  walletRiskScore: number;
  deviceNewToAccount: boolean;
  /**
   * The caller that asked (its token's subject): only it may read, send or verify. Absent on requests
   * made before requests were bound to their caller.
   */
  owner?: string;
}

/** Whether `caller` may act on a request: its owner, or anyone for a request made before binding. */
export function isRequestOwner(request: { owner?: string | null }, caller: string | undefined): boolean {
  return request.owner === undefined || request.owner === null || request.owner === caller;
}

/** Decision rules are configuration; these are the documented defaults. */
export interface DecisionRules {
  redRiskAtLeast: number;
  yellowRiskAtLeast: number;
  yellowWhenDeviceNew: boolean;
}
export const DEFAULT_DECISION_RULES: DecisionRules = {
  redRiskAtLeast: 80,
  yellowRiskAtLeast: 30,
  yellowWhenDeviceNew: true,
};

export interface DecisionOutcome {
  decision: TokenizationDecision;
  reason: string;
}

export function decideTokenization(
  card: { status: CardStatus } | null,
  request: Pick<TokenizationRequest, 'walletRiskScore' | 'deviceNewToAccount'>,
  rules: DecisionRules = DEFAULT_DECISION_RULES,
): DecisionOutcome {
  if (!card) return { decision: 'RED', reason: 'CARD_NOT_FOUND' };
  if (card.status !== 'ACTIVE') return { decision: 'RED', reason: `CARD_${card.status}` };
  if (request.walletRiskScore >= rules.redRiskAtLeast) return { decision: 'RED', reason: 'RISK_TOO_HIGH' };
  if (request.walletRiskScore >= rules.yellowRiskAtLeast)
    return { decision: 'YELLOW', reason: 'RISK_ELEVATED' };
  if (rules.yellowWhenDeviceNew && request.deviceNewToAccount)
    return { decision: 'YELLOW', reason: 'NEW_DEVICE' };
  return { decision: 'GREEN', reason: 'LOW_RISK' };
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return (phone.startsWith('+') ? '+' : '') + '*'.repeat(Math.max(0, digits.length - 4)) + digits.slice(-4);
}

export function maskEmail(email: string): string {
  const [user, domain] = email.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}

export type VerifyResult = 'VERIFIED' | 'INVALID_CODE' | 'EXPIRED' | 'LOCKED';

export const manualProvisioningWorkflowId = LIFECYCLES.manualProvisioning.workflowId;

/** Constant-time comparison of two hex strings, pure (usable inside workflow code). */
export function constantTimeEqualStrings(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}
