import { defineUpdate } from '@temporalio/workflow';
import type { AuthenticationMethod, AuthenticationRefusal, VerifyOtpResult } from '@tlo/domain';
import { namedFailure } from './shared/failures';

/** Message definitions of the tokenized-FOP authentication session, importable by clients. */
export interface FopAuthenticationInput {
  authenticationRequestId: string;
  method: AuthenticationMethod;
  accountId: string;
  /** SMS_OTP only: Google's token that must appear in the SMS. */
  smsMatchingToken?: string;
  otpTtlMs: number;
  authenticatedTtlMs: number;
  maxAttempts: number;
}

export type ConsumeOutcome = { ok: true; accountId: string } | { ok: false; refusal: AuthenticationRefusal };

/** Answers once the session has started: the SMS is sent, or the redirect sign-in is recorded. */
export const sessionStartedUpdate = defineUpdate<{ state: string }>('sessionStarted');
/** Carries only the HMAC of the code the user typed: the code never enters history. */
export const verifyCodeUpdate = defineUpdate<{ result: VerifyOtpResult }, [{ codeHmac: string }]>(
  'verifyCode',
);
/** Uses the proof once, for one association or one refresh; repeated by the same user, it answers the same. */
export const consumeAuthenticationUpdate = defineUpdate<
  ConsumeOutcome,
  [{ purpose: 'ASSOCIATE' | 'REFRESH'; by: string }]
>('consumeAuthentication');

/** What an authentication session refuses, with the API's answer beside each. */
export const FopAuthenticationFailures = {
  /** A code was sent for a session started by redirect sign-in, which has no code. */
  notAnSmsSession: namedFailure('NotAnSmsSession', {
    status: 400,
    code: 'NOT_AN_SMS_AUTHENTICATION',
    field: 'sendOtpRequestId',
    message: 'this authentication was not started by sendOtp',
  }),
} as const;
