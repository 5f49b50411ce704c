import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { TokenizationDecision, VerificationMethod, VerifyResult } from '@tlo/domain';
import { namedFailure } from './shared/failures';

/** Message definitions of the manual-provisioning workflow, importable by clients. */
export interface DecisionAnswer {
  requestId: string;
  decision: TokenizationDecision;
  methods?: VerificationMethod[];
}
export interface OtpSent {
  methodId: string;
  channel: VerificationMethod['channel'];
  target: string;
  expiresAt: string;
  sendsLeft: number;
}
export interface VerifyAnswer {
  result: VerifyResult;
  attemptsLeft: number;
}

export const decisionUpdate = defineUpdate<DecisionAnswer>('decision');
/** `caller`: the subject of the HTTP caller; a request answers only the caller that made it. */
export const sendOtpUpdate = defineUpdate<OtpSent, [{ methodId: string; caller?: string }]>('sendOtp');
/** Carries only the HMAC of the code the cardholder typed: the code never enters history. */
export const verifyOtpUpdate = defineUpdate<VerifyAnswer, [{ codeHmac: string; caller?: string }]>(
  'verifyOtp',
);
export const supportActivationUpdate = defineUpdate<{ state: string }, [{ agentId: string; reason: string }]>(
  'supportActivation',
);
/** The chart's state and transition count, read live from the workflow (`temporal workflow query --name state`). */
export const manualProvisioningStateQuery = defineQuery<{ state: string; seq: number }>('state');
/** What the yellow path refuses, with the API's answer beside each (the shared kinds are in shared/failures). */
export const ManualProvisioningFailures = {
  /** The method id is not one the decision offered; the details list the accepted ones. */
  unknownMethod: namedFailure<{ field: string; accepted: string[] }>('UnknownMethod', {
    status: 400,
    code: 'INVALID_FIELD',
    field: 'methodId',
  }),
  /** The request has been sent as many codes as its program allows. */
  sendLimitReached: namedFailure('SendLimitReached', { status: 409, code: 'SEND_LIMIT_REACHED' }),
  /** The card, across its requests, has been sent as many codes as its limit allows for now. */
  cardSendLimitReached: namedFailure<{ retryAfterSeconds: number }>('CardSendLimitReached', {
    status: 429,
    code: 'CARD_SEND_LIMIT_REACHED',
    withDetails: true,
  }),
} as const;
