import { Inject, Injectable } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { AppConfig } from '@tlo/config';
import { otpHmac } from '@tlo/crypto';
import {
  type AssociateAccountResult,
  type AuthenticationMethod,
  FOP_DEFAULTS,
  type RefreshTokenResult,
  SEARCH_ATTRIBUTES,
  type SendOtpResult,
  type VerifyOtpResult,
  endedSessionConsumption,
  endedSessionVerification,
  fopAuthenticationWorkflowId,
  fopInstrumentWorkflowId,
  LIFECYCLES,
} from '@tlo/domain';
import type { FopAuthenticationContext, FopInstrumentContext } from '@tlo/machines';
import {
  FopAccountRepository,
  GoogleTokenClaimRepository,
  ProjectionRepository,
  googlePaymentTokenHash,
} from '@tlo/persistence';
import {
  type ConsumeOutcome,
  FopAuthenticationFailures,
  consumeAuthenticationUpdate,
  sessionStartedUpdate,
  verifyCodeUpdate,
  type AssociateAnswer,
  associateUpdate,
  refreshTokenUpdate,
  type fopAuthentication,
  type fopInstrument,
} from '@tlo/workflows';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { apiErrorOf, callLifecycle } from '../http/temporal-errors';

export type RedirectSignIn = 'AUTHENTICATED' | 'INVALID_CREDENTIALS' | 'ALREADY_USED';

/** The integrator's side of Google's tokenized form of payment: sessions and instruments as actors. */
@Injectable()
export class TokenizedFopService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly accounts: FopAccountRepository,
    private readonly tokenClaims: GoogleTokenClaimRepository,
    private readonly projections: ProjectionRepository,
  ) {}

  async sendOtp(
    requestId: string,
    phoneNumber: string,
    smsMatchingToken: string,
  ): Promise<{ result: SendOtpResult }> {
    const account = await this.accounts.findByPhone(phoneNumber);
    if (!account) return { result: 'PHONE_NUMBER_NOT_ASSOCIATED_WITH_ACCOUNT' };
    await this.startSession(requestId, 'SMS_OTP', account.accountId, 'USE_EXISTING', smsMatchingToken);
    return { result: 'SUCCESS' };
  }

  async verifyOtp(sendOtpRequestId: string, otp: string): Promise<{ result: VerifyOtpResult }> {
    const codeHmac = otpHmac(this.config.otpHmacKey, sendOtpRequestId, otp);
    return callLifecycle(
      () =>
        this.temporal.workflow
          .getHandle(fopAuthenticationWorkflowId(sendOtpRequestId))
          .executeUpdate(verifyCodeUpdate, { args: [{ codeHmac }] }),
      {
        notFound: async () => {
          const session = await this.session(sendOtpRequestId);
          if (!session) throw unknownSession();
          if (session.view.method !== 'SMS_OTP') throw notAnSmsSession();
          return { result: endedSessionVerification(session.view) };
        },
      },
    );
  }

  /** Redirect authentication: the user signed in on the integrator's page under Google's requestId. */
  async signInByRedirect(requestId: string, username: string, password: string): Promise<RedirectSignIn> {
    const accountId = await this.accounts.signIn(username, password);
    if (!accountId) return 'INVALID_CREDENTIALS';
    try {
      await this.startSession(requestId, 'REDIRECT', accountId, 'FAIL');
      return 'AUTHENTICATED';
    } catch (error) {
      if (error instanceof ApiError && error.getStatus() === 409) return 'ALREADY_USED';
      throw error;
    }
  }

  async associateAccount(
    authenticationRequestId: string,
    associationId: string,
    googlePaymentToken: string,
  ): Promise<{ result: AssociateAccountResult; accountId?: string; tokenExpirationTime?: string }> {
    const proof = await this.consume(authenticationRequestId, 'ASSOCIATE', associationId);
    if (!proof.ok) return { result: proof.refusal };
    const gptHash = googlePaymentTokenHash(googlePaymentToken);
    const start = new WithStartWorkflowOperation<typeof fopInstrument>(
      LIFECYCLES.fopInstrument.workflowType,
      {
        workflowId: fopInstrumentWorkflowId(associationId),
        taskQueue: this.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [
          {
            associationId,
            accountId: proof.accountId,
            gptHash,
            tokenLifetimeMs: FOP_DEFAULTS.tokenLifetimeMs,
          },
        ],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.lifecycle, value: LIFECYCLES.fopInstrument.name },
          { key: SEARCH_ATTRIBUTES.customerReference, value: proof.accountId },
        ],
        staticSummary: `Tokenized FOP instrument ${associationId} of account ${proof.accountId}`,
      },
    );
    // The id taken by an ended instrument (never reused), or the instrument ending meanwhile.
    const ended = () => this.endedAssociation(associationId, proof.accountId, gptHash);
    const answer = await callLifecycle(
      () =>
        this.temporal.workflow.executeUpdateWithStart(associateUpdate, {
          args: [{ accountId: proof.accountId, gptHash }],
          startWorkflowOperation: start,
        }),
      { notFound: ended, alreadyStarted: ended },
    );
    if (answer.result !== 'SUCCESS') return { result: answer.result };
    return {
      result: 'SUCCESS',
      accountId: answer.accountId!,
      tokenExpirationTime: String(Date.parse(answer.tokenExpiresAt!)),
    };
  }

  async refreshToken(
    authenticationRequestId: string,
    googlePaymentToken: string,
  ): Promise<{ result: RefreshTokenResult; tokenExpirationTime?: string }> {
    const gptHash = googlePaymentTokenHash(googlePaymentToken);
    const associationId = await this.tokenClaims.ownerOf(gptHash);
    const instrument = associationId
      ? await this.projections.find<FopInstrumentContext>(fopInstrumentWorkflowId(associationId))
      : null;
    if (!associationId || !instrument || wasRefused(instrument.view)) {
      return { result: 'UNKNOWN_GOOGLE_PAYMENT_TOKEN' };
    }
    const proof = await this.consume(authenticationRequestId, 'REFRESH', `refresh:${associationId}`);
    if (!proof.ok) return { result: proof.refusal };
    const answer = await callLifecycle(
      () =>
        this.temporal.workflow
          .getHandle(fopInstrumentWorkflowId(associationId))
          .executeUpdate(refreshTokenUpdate, { args: [{ accountId: proof.accountId, gptHash }] }),
      { notFound: async () => ({ result: 'TOKEN_CLOSED' as const }) },
    );
    if (answer.result !== 'SUCCESS') return { result: answer.result };
    return { result: 'SUCCESS', tokenExpirationTime: String(Date.parse(answer.tokenExpiresAt!)) };
  }

  /** Instruments of an integrator account, newest state of each, without any token. */
  async instrumentsOf(accountId: string) {
    const rows = await this.projections.findByAccount<FopInstrumentContext>(
      LIFECYCLES.fopInstrument.name,
      accountId,
    );
    return rows.map((row) => ({
      associationId: row.view.associationId,
      state: row.state,
      tokenExpirationTime: row.view.tokenExpiresAt ? String(Date.parse(row.view.tokenExpiresAt)) : null,
      refreshes: row.view.refreshes,
      refusal: row.view.refusal,
      lastTransitionAt: row.lastTransitionAt,
    }));
  }

  private async startSession(
    requestId: string,
    method: AuthenticationMethod,
    accountId: string,
    conflictPolicy: 'USE_EXISTING' | 'FAIL',
    smsMatchingToken?: string,
  ): Promise<void> {
    const start = new WithStartWorkflowOperation<typeof fopAuthentication>(
      LIFECYCLES.fopAuthentication.workflowType,
      {
        workflowId: fopAuthenticationWorkflowId(requestId),
        taskQueue: this.config.temporal.taskQueue,
        workflowIdConflictPolicy: conflictPolicy,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [
          {
            authenticationRequestId: requestId,
            method,
            accountId,
            smsMatchingToken,
            otpTtlMs: FOP_DEFAULTS.otpTtlMs,
            authenticatedTtlMs: FOP_DEFAULTS.authenticatedTtlMs,
            maxAttempts: FOP_DEFAULTS.maxOtpAttempts,
          },
        ],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.lifecycle, value: LIFECYCLES.fopAuthentication.name },
          { key: SEARCH_ATTRIBUTES.customerReference, value: accountId },
        ],
        staticSummary: `Tokenized FOP authentication (${method}) of account ${accountId}`,
      },
    );
    await callLifecycle(
      () =>
        this.temporal.workflow.executeUpdateWithStart(sessionStartedUpdate, {
          startWorkflowOperation: start,
        }),
      {
        alreadyStarted: async () => {
          throw new ApiError(409, { code: 'SESSION_EXISTS', message: 'requestId already used' });
        },
      },
    );
  }

  /** Uses an authentication once; an ended session answers from its projection. */
  private async consume(
    authenticationRequestId: string,
    purpose: 'ASSOCIATE' | 'REFRESH',
    by: string,
  ): Promise<ConsumeOutcome> {
    return callLifecycle(
      () =>
        this.temporal.workflow
          .getHandle(fopAuthenticationWorkflowId(authenticationRequestId))
          .executeUpdate(consumeAuthenticationUpdate, { args: [{ purpose, by }] }),
      {
        notFound: async () => {
          const session = await this.session(authenticationRequestId);
          if (!session) return { ok: false, refusal: 'UNKNOWN_AUTHENTICATION' };
          return endedSessionConsumption(session.view, by);
        },
      },
    );
  }

  /** An association whose instrument has ended answers from the projection and the token's owner. */
  private async endedAssociation(
    associationId: string,
    accountId: string,
    gptHash: string,
  ): Promise<AssociateAnswer> {
    const instrument = await this.projections.find<FopInstrumentContext>(
      fopInstrumentWorkflowId(associationId),
    );
    const owner = await this.tokenClaims.ownerOf(gptHash);
    if (
      instrument &&
      wasRefused(instrument.view) &&
      instrument.view.accountId === accountId &&
      owner !== associationId
    ) {
      return { result: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED' };
    }
    return { result: 'ASSOCIATION_ID_ALREADY_USED' };
  }

  private session(authenticationRequestId: string) {
    return this.projections.find<FopAuthenticationContext>(
      fopAuthenticationWorkflowId(authenticationRequestId),
    );
  }
}

const unknownSession = () =>
  new ApiError(400, {
    code: 'UNKNOWN_SEND_OTP_REQUEST',
    field: 'sendOtpRequestId',
    message: 'no sendOtp request with this id',
  });
const notAnSmsSession = () =>
  apiErrorOf(FopAuthenticationFailures.notAnSmsSession, { message: 'this session was not started by SMS' });
/** An instrument whose association was refused records why; it never held a token. */
const wasRefused = (instrument: FopInstrumentContext) => instrument.refusal !== null;
