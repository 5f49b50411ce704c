import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import { pushProvisioningWorkflowId } from '@tlo/domain';
import { walletEventUpdate } from '../../../../workflows/push-provisioning.definitions';
import { RequireScopes } from '../auth/scopes.decorator';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { toApiError } from '../http/temporal-errors';
import { WalletEventDto } from './wallet-event.dto';

/** The wallet's reports on provisioned tokens, fed into the card+wallet actor. */
@ApiTags('push-provisioning')
@ApiBearerAuth()
@Controller('wallet-events')
export class WalletEventsController {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly temporal: Client) {}

  @Post()
  @HttpCode(200)
  @RequireScopes('wallet.events')
  async report(@Body() body: WalletEventDto): Promise<{ workflowId: string; state: string }> {
    const workflowId = pushProvisioningWorkflowId(body.proxy, body.wallet);
    try {
      const handle = this.temporal.workflow.getHandle(workflowId);
      const { state } = await handle.executeUpdate(walletEventUpdate, {
        args: [{ eventType: body.eventType, tokenReferenceId: body.tokenReferenceId }],
      });
      return { workflowId, state };
    } catch (error) {
      throw toApiError(error);
    }
  }
}
