import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { AppConfig } from '@tlo/config';
import { otpHmac } from '@tlo/crypto';
import { SEARCH_ATTRIBUTES, type TokenizationRequest, manualProvisioningWorkflowId } from '@tlo/domain';
import type { manualProvisioning } from '../../../../workflows/manual-provisioning.workflow';
import {
  type DecisionAnswer,
  type OtpSent,
  type VerifyAnswer,
  decisionUpdate,
  sendOtpUpdate,
  supportActivationUpdate,
  verifyOtpUpdate,
} from '../../../../workflows/manual-provisioning.definitions';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { toApiError } from '../http/temporal-errors';

export type NewTokenizationRequest = Omit<TokenizationRequest, 'requestId'>;

/** Starts the yellow-path actor and relays the cardholder's and support's actions to it. */
@Injectable()
export class ManualProvisioningService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async requestDecision(input: NewTokenizationRequest): Promise<DecisionAnswer> {
    const request: TokenizationRequest = { requestId: randomUUID(), ...input };
    const start = new WithStartWorkflowOperation<typeof manualProvisioning>('manualProvisioning', {
      workflowId: manualProvisioningWorkflowId(request.requestId),
      taskQueue: this.config.temporal.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [request],
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.lifecycle, value: 'manual-provisioning' },
        { key: SEARCH_ATTRIBUTES.cardId, value: request.proxy },
        { key: SEARCH_ATTRIBUTES.wallet, value: request.wallet },
      ],
      staticSummary: `Manual provisioning of card ${request.proxy} to ${request.wallet}`,
      staticDetails: `Tokenization request **${request.requestId}**, device risk ${request.walletRiskScore}.`,
    });
    return this.call(() =>
      this.temporal.workflow.executeUpdateWithStart(decisionUpdate, { startWorkflowOperation: start }),
    );
  }

  sendOtp(requestId: string, methodId: string): Promise<OtpSent> {
    return this.call(() => this.handle(requestId).executeUpdate(sendOtpUpdate, { args: [{ methodId }] }));
  }

  /** Only the HMAC of the typed code goes to the workflow (and so to history). */
  verifyOtp(requestId: string, code: string): Promise<VerifyAnswer> {
    const codeHmac = otpHmac(this.config.manualProvisioning.otpHmacKey, requestId, code);
    return this.call(() => this.handle(requestId).executeUpdate(verifyOtpUpdate, { args: [{ codeHmac }] }));
  }

  activateBySupport(requestId: string, agentId: string, reason: string): Promise<{ state: string }> {
    return this.call(() =>
      this.handle(requestId).executeUpdate(supportActivationUpdate, { args: [{ agentId, reason }] }),
    );
  }

  private handle(requestId: string) {
    return this.temporal.workflow.getHandle(manualProvisioningWorkflowId(requestId));
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toApiError(error);
    }
  }
}
