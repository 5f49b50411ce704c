import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { type WalletEvent, type Wallet, pushProvisioningWorkflowId } from '@tlo/domain';
import { type PushProvisioningContext, walletEventAlreadyApplied } from '@tlo/machines';
import { ProjectionRepository } from '@tlo/persistence';
import { walletEventUpdate } from '@tlo/workflows';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { callLifecycle } from '../http/temporal-errors';

export interface WalletEventAnswer {
  workflowId: string;
  state: string;
}

/** Feeds the wallet's reports into the card+wallet actor; a retry of a report already taken is a success. */
@Injectable()
export class WalletEventsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly projections: ProjectionRepository,
  ) {}

  async report(proxy: string, wallet: Wallet, event: WalletEvent): Promise<WalletEventAnswer> {
    const workflowId = pushProvisioningWorkflowId(proxy, wallet);
    return callLifecycle(
      async () => {
        const { state } = await this.temporal.workflow
          .getHandle(workflowId)
          .executeUpdate(walletEventUpdate, { args: [event] });
        return { workflowId, state };
      },
      {
        // The actor may have ended since, with this very report (the deletion of its last token):
        // its final read model says whether the report was taken.
        notFound: async (otherwise) => {
          const ended = await this.projections.find<PushProvisioningContext>(workflowId);
          const applied =
            ended &&
            walletEventAlreadyApplied(ended.view, {
              type: event.eventType,
              tokenReferenceId: event.tokenReferenceId,
            });
          if (applied) return { workflowId, state: ended.state };
          throw otherwise;
        },
      },
    );
  }
}
