import { LIFECYCLES } from './lifecycles';
/**
 * Tokenized form of payment: the product is the payment integrator Google calls to
 * authenticate a user (SMS OTP or redirect), associate an instrument (a Google Payment Token, GPT)
 * and refresh it. Timestamps are milliseconds since the epoch, as strings; amounts are micros.
 */

export interface ProtocolVersion {
  major: number;
  minor: number;
  revision: number;
}

export interface RequestHeader {
  requestId: string;
  /** Milliseconds since the epoch, as a string. */
  requestTimestamp: string;
  protocolVersion: ProtocolVersion;
}

export interface ResponseHeader {
  responseTimestamp: string;
}

/** A request more than this far from the integrator's clock is refused (400). */
export const REQUEST_TIMESTAMP_WINDOW_MS = 60_000;

export const FOP_DEFAULTS = {
  /** How long a sent code may be typed. */
  otpTtlMs: 10 * 60_000,
  maxOtpAttempts: 3,
  /** How long a completed authentication may be used to associate or refresh. */
  authenticatedTtlMs: 30 * 60_000,
  /** A GPT lives at least a year; each refresh extends it by this much from the refresh. */
  tokenLifetimeMs: 400 * 24 * 3600_000,
};

export type AuthenticationMethod = 'SMS_OTP' | 'REDIRECT';

export type SendOtpResult = 'SUCCESS' | 'PHONE_NUMBER_NOT_ASSOCIATED_WITH_ACCOUNT';
export type VerifyOtpResult =
  'SUCCESS' | 'OTP_NOT_MATCHED' | 'OTP_ALREADY_USED' | 'OTP_EXPIRED' | 'OTP_LIMIT_REACHED';

/** Why an authentication cannot be used (as proof for an association or a refresh). */
export type AuthenticationRefusal =
  | 'UNKNOWN_AUTHENTICATION'
  | 'AUTHENTICATION_NOT_COMPLETED'
  | 'AUTHENTICATION_ALREADY_USED'
  | 'AUTHENTICATION_EXPIRED';

export type AssociateAccountResult =
  'SUCCESS' | AuthenticationRefusal | 'ASSOCIATION_ID_ALREADY_USED' | 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED';

export type RefreshTokenResult =
  'SUCCESS' | AuthenticationRefusal | 'UNKNOWN_GOOGLE_PAYMENT_TOKEN' | 'TOKEN_CLOSED' | 'ACCOUNT_MISMATCH';

export const fopAuthenticationWorkflowId = LIFECYCLES.fopAuthentication.workflowId;
export const fopInstrumentWorkflowId = LIFECYCLES.fopInstrument.workflowId;

/** E.164: a plus sign and 8 to 15 digits, the first not zero. */
export const E164 = /^\+[1-9]\d{7,14}$/;

/** `+5511******4242`: country and area code, the last four digits. */
export function maskE164(phone: string): string {
  return phone.slice(0, 5) + '*'.repeat(Math.max(0, phone.length - 9)) + phone.slice(-4);
}

/** Whether `requestTimestamp` (ms since the epoch, as a string) is within the window around `now`. */
export function requestTimestampInWindow(requestTimestamp: string, now: number): boolean {
  if (!/^\d{1,15}$/.test(requestTimestamp)) return false;
  return Math.abs(now - Number(requestTimestamp)) <= REQUEST_TIMESTAMP_WINDOW_MS;
}
