import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Client, type WorkflowHandle, WithStartWorkflowOperation } from '@temporalio/client';
import type { AppConfig } from '@tlo/config';
import { otpHmac } from '@tlo/crypto';
import {
  SEARCH_ATTRIBUTES,
  type TokenizationRequest,
  isRequestOwner,
  manualProvisioningWorkflowId,
  LIFECYCLES,
} from '@tlo/domain';
import { ProjectionRepository } from '@tlo/persistence';
import {
  type manualProvisioning,
  type DecisionAnswer,
  type OtpSent,
  type VerifyAnswer,
  decisionUpdate,
  sendOtpUpdate,
  supportActivationUpdate,
  verifyOtpUpdate,
} from '@tlo/workflows';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { callLifecycle } from '../http/temporal-errors';

export type NewTokenizationRequest = Omit<TokenizationRequest, 'requestId' | 'owner'>;

export interface TokenizationRequestView {
  requestId: string;
  state: string;
  version: number;
  transitions: Array<{ seq: number; from: string; event: string; to: string; at: string }>;
  [field: string]: unknown;
}

/**
 * Starts the yellow-path actor and relays the cardholder's and support's actions to it. A request
 * belongs to the caller that made it (the token's subject): any other caller is answered as if it
 * did not exist.
 */
@Injectable()
export class ManualProvisioningService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionRepository,
  ) {}

  async requestDecision(owner: string, input: NewTokenizationRequest): Promise<DecisionAnswer> {
    const request: TokenizationRequest = { requestId: randomUUID(), ...input, owner };
    const start = new WithStartWorkflowOperation<typeof manualProvisioning>(
      LIFECYCLES.manualProvisioning.workflowType,
      {
        workflowId: manualProvisioningWorkflowId(request.requestId),
        taskQueue: this.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [request],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.lifecycle, value: LIFECYCLES.manualProvisioning.name },
          { key: SEARCH_ATTRIBUTES.cardId, value: request.proxy },
          { key: SEARCH_ATTRIBUTES.wallet, value: request.wallet },
        ],
        staticSummary: `Manual provisioning of card ${request.proxy} to ${request.wallet}`,
        staticDetails: `Tokenization request **${request.requestId}**, device risk ${request.walletRiskScore}.`,
      },
    );
    return callLifecycle(() =>
      this.temporal.workflow.executeUpdateWithStart(decisionUpdate, { startWorkflowOperation: start }),
    );
  }

  sendOtp(caller: string, requestId: string, methodId: string): Promise<OtpSent> {
    return this.update(requestId, caller, (handle) =>
      handle.executeUpdate(sendOtpUpdate, { args: [{ methodId, caller }] }),
    );
  }

  /** Only the HMAC of the typed code goes to the workflow (and so to history). */
  verifyOtp(caller: string, requestId: string, code: string): Promise<VerifyAnswer> {
    const codeHmac = otpHmac(this.config.otpHmacKey, requestId, code);
    return this.update(requestId, caller, (handle) =>
      handle.executeUpdate(verifyOtpUpdate, { args: [{ codeHmac, caller }] }),
    );
  }

  /** Support (its own scope) may act on any request. */
  activateBySupport(requestId: string, agentId: string, reason: string): Promise<{ state: string }> {
    return this.update(requestId, null, (handle) =>
      handle.executeUpdate(supportActivationUpdate, { args: [{ agentId, reason }] }),
    );
  }

  /** The projection: state, decision, attempts, sends, expiries and the transitions. */
  async view(caller: string, requestId: string): Promise<TokenizationRequestView> {
    const workflowId = manualProvisioningWorkflowId(requestId);
    const projection = await this.projections.find<{ owner?: string | null }>(workflowId);
    if (!projection || !isRequestOwner(projection.view, caller)) throw notFound();
    const view: Record<string, unknown> = { ...projection.view };
    delete view.owner;
    return {
      requestId,
      state: projection.state,
      version: projection.version,
      ...view,
      transitions: await this.projections.trailOf(workflowId),
    };
  }

  /**
   * Sends an update to the request's actor (which refuses another caller's update as not found); a
   * request that has ended answers 409 with its final state, to its caller only.
   */
  private update<T>(
    requestId: string,
    caller: string | null,
    send: (handle: WorkflowHandle) => Promise<T>,
  ): Promise<T> {
    const workflowId = manualProvisioningWorkflowId(requestId);
    return callLifecycle(() => send(this.temporal.workflow.getHandle(workflowId)), {
      notFound: async () => {
        const projection = await this.projections.find<{ owner?: string | null }>(workflowId);
        if (!projection || (caller !== null && !isRequestOwner(projection.view, caller))) throw notFound();
        throw new ApiError(409, {
          code: 'REQUEST_ENDED',
          message: `the tokenization request has ended (${projection.state})`,
          details: { state: projection.state },
        });
      },
    });
  }
}

const notFound = () =>
  new ApiError(404, { code: 'REQUEST_NOT_FOUND', message: 'no such tokenization request' });
