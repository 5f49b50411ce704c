import { ApplicationFailure, log } from '@temporalio/activity';
import { drawOneTimeCode, otpHmac } from '@tlo/crypto';
import {
  type CardAttempt,
  type CardAttemptKind,
  type CardOtpLimits,
  type CardProgram,
  type DecisionOutcome,
  type DecisionRules,
  type TokenizationRequest,
  type VerificationMethod,
  decideTokenization,
  limitFor,
  maskEmail,
  maskPhone,
} from '@tlo/domain';
import type {
  CardAttemptRepository,
  CardProgramRepository,
  CardRepository,
  OtpOutboxRepository,
} from '@tlo/persistence';
import { ManualProvisioningFailures } from '../../workflows/manual-provisioning.definitions';
import { type SignedWebhookSender, WebhookRefusedError } from '../webhooks/signed-webhook';

export interface ManualProvisioningDeps {
  cards: CardRepository;
  programs: CardProgramRepository;
  otpOutbox: OtpOutboxRepository;
  otpHmacKey: Buffer;
  decisionRules: DecisionRules;
  webhooks: SignedWebhookSender;
  cardAttempts: CardAttemptRepository;
  cardOtpLimits: CardOtpLimits;
}

export type CardAttemptAdmission = { admitted: true } | { admitted: false; retryAfterMs: number };

export interface TokenizationDecisionResult extends DecisionOutcome {
  methods: VerificationMethod[];
  program: CardProgram;
}

export interface IssuedOtp {
  /** HMAC of the code: the only form the code leaves this activity in. */
  codeHmac: string;
  channel: VerificationMethod['channel'];
  target: string;
}

function methodsFor(contact: { phoneNumber: string; email: string | null }): VerificationMethod[] {
  const methods: VerificationMethod[] = [
    { id: 'sms', channel: 'SMS', target: maskPhone(contact.phoneNumber) },
  ];
  if (contact.email) methods.push({ id: 'email', channel: 'EMAIL', target: maskEmail(contact.email) });
  return methods;
}

export function createManualProvisioningActivities(deps: ManualProvisioningDeps) {
  const admitOnCard = async (
    kind: CardAttemptKind,
    proxy: string,
    attempt: CardAttempt,
  ): Promise<CardAttemptAdmission> => {
    const limit = limitFor(deps.cardOtpLimits, kind);
    const verdict = await deps.cardAttempts.admit(kind, proxy, limit, attempt);
    if (verdict.admitted) return { admitted: true };
    log.warn('card limit reached', { proxy, kind, max: limit.max });
    return { admitted: false, retryAfterMs: verdict.retryAfterMs };
  };

  return {
    /** The issuer's decision by the configured rules, with the card program that governs a yellow path. */
    async decideTokenizationRequest(request: TokenizationRequest): Promise<TokenizationDecisionResult> {
      const card = await deps.cards.findMasked(request.proxy);
      const outcome = decideTokenization(card, request, deps.decisionRules);
      const program = await deps.programs.find(card?.programId);
      const contact = card ? await deps.cards.readContact(request.proxy) : null;
      const methods = outcome.decision === 'YELLOW' && contact ? methodsFor(contact) : [];
      return { ...outcome, methods, program };
    },

    /**
     * Counts a wrong code against the card's rolling limit, across all its requests. The attempt's
     * time is the workflow's and its id is stable, so a retry counts it once.
     */
    async countWrongCode(args: { proxy: string; attempt: CardAttempt }): Promise<CardAttemptAdmission> {
      return admitOnCard('OTP_WRONG_GUESS', args.proxy, args.attempt);
    },

    /**
     * Draws a fresh 6-digit code with a CSPRNG and delivers it by the card program's mode, if the
     * card's rolling limit on codes sent (across its requests) admits `attempt`: otherwise it fails
     * with `CardSendLimitReached`, and nothing is sent. The code itself is never returned, logged or
     * stored in clear. A retried attempt draws a new code, and counts once.
     */
    async issueOtp(args: {
      requestId: string;
      proxy: string;
      methodId: string;
      /** Absent when scheduled by a worker from before the card limits: not counted. */
      attempt?: CardAttempt;
    }): Promise<IssuedOtp> {
      if (args.attempt) {
        const admission = await admitOnCard('OTP_SEND', args.proxy, args.attempt);
        if (!admission.admitted) {
          throw ApplicationFailure.nonRetryable(
            'this card has been sent as many codes as its limit allows; try again later',
            ManualProvisioningFailures.cardSendLimitReached.type,
            { retryAfterSeconds: Math.ceil(admission.retryAfterMs / 1000) },
          );
        }
      }
      const contact = await deps.cards.readContact(args.proxy);
      if (!contact) throw ApplicationFailure.nonRetryable('card disappeared', 'CardNotFound');
      const method = methodsFor(contact).find((m) => m.id === args.methodId);
      if (!method) throw ApplicationFailure.nonRetryable(`unknown method ${args.methodId}`, 'UnknownMethod');
      const recipient = method.channel === 'SMS' ? contact.phoneNumber : contact.email!;
      const program = await deps.programs.find(contact.programId);
      const code = drawOneTimeCode();

      if (program.otpDelivery === 'WEBHOOK') {
        const secret = await deps.programs.webhookSecret(program.programId);
        if (!program.webhookUrl || !secret) {
          throw ApplicationFailure.nonRetryable(
            `program ${program.programId} has no webhook configured`,
            'ProgramMisconfigured',
          );
        }
        try {
          await deps.webhooks.post(program.webhookUrl, secret, {
            requestId: args.requestId,
            code,
            recipient,
            channel: method.channel,
          });
        } catch (error) {
          // A URL the policy refuses (one stored before it applied) will never be delivered to:
          // the cardholder is answered now, the lifecycle stays where it was.
          if (error instanceof WebhookRefusedError)
            throw ApplicationFailure.nonRetryable(error.message, 'ProgramMisconfigured');
          throw error;
        }
      } else {
        await deps.otpOutbox.deliver(args.requestId, method.target, {
          channel: method.channel,
          recipient,
          text: `Your card verification code is ${code}. It expires in ${Math.round(program.otpTtlSeconds / 60)} minutes.`,
        });
      }
      log.info('one-time code sent', {
        requestId: args.requestId,
        channel: method.channel,
        target: method.target,
        delivery: program.otpDelivery,
      });
      return {
        codeHmac: otpHmac(deps.otpHmacKey, args.requestId, code),
        channel: method.channel,
        target: method.target,
      };
    },
  };
}
