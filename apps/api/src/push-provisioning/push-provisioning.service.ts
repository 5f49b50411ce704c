import { Inject, Injectable } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { AppConfig } from '@tlo/config';
import {
  type ApplePayProvisioningRequest,
  CARD_REJECTIONS,
  type WalletPayload,
  type Wallet,
  SEARCH_ATTRIBUTES,
  pushProvisioningWorkflowId,
  LIFECYCLES,
} from '@tlo/domain';
import { type pushProvisioning, requestPayloadUpdate } from '@tlo/workflows';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { callLifecycle } from '../http/temporal-errors';

/** Starts (or reaches) the card+wallet actor and asks it for a payload, answering synchronously. */
@Injectable()
export class PushProvisioningService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async requestPayload(
    proxy: string,
    wallet: Wallet,
    requestId: string,
    applePay?: ApplePayProvisioningRequest,
  ): Promise<WalletPayload> {
    const workflowId = pushProvisioningWorkflowId(proxy, wallet);
    const start = new WithStartWorkflowOperation<typeof pushProvisioning>(
      LIFECYCLES.pushProvisioning.workflowType,
      {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [
          {
            proxy,
            wallet,
            walletActivationTimeoutMs: this.config.pushProvisioning.walletActivationTimeoutMs,
          },
        ],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.lifecycle, value: LIFECYCLES.pushProvisioning.name },
          { key: SEARCH_ATTRIBUTES.cardId, value: proxy },
          { key: SEARCH_ATTRIBUTES.wallet, value: wallet },
        ],
        staticSummary: `Push provisioning of card ${proxy} to ${wallet}`,
        staticDetails: `Card proxy **${proxy}**, wallet **${wallet}**. Waits for the wallet's activation, then follows the token until it is deleted.`,
      },
    );
    const outcome = await callLifecycle(() =>
      this.temporal.workflow.executeUpdateWithStart(requestPayloadUpdate, {
        args: [{ requestId, applePay }],
        startWorkflowOperation: start,
      }),
    );
    if (outcome.ok) return outcome.payload;
    if (outcome.reason === 'ALREADY_FINISHED') {
      throw new ApiError(409, {
        code: 'PROVISIONING_FINISHED',
        message: 'the provisioning just finished; retry',
      });
    }
    const rejection = CARD_REJECTIONS[outcome.reason];
    throw new ApiError(rejection.status, { code: rejection.code, message: rejection.message });
  }
}
