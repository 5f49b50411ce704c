import { defineUpdate } from '@temporalio/workflow';
import type { TokenizationDecision, VerificationMethod, VerifyResult } from '@tlo/domain';

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
