import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PayloadOutcome, PayloadRequest, WalletEvent } from '@tlo/domain';

/** Message definitions of the push-provisioning workflow, importable by clients without the workflow. */
export const requestPayloadUpdate = defineUpdate<PayloadOutcome, [PayloadRequest]>('requestPayload');
export const walletEventUpdate = defineUpdate<{ state: string }, [WalletEvent]>('walletEvent');
export const pushProvisioningStateQuery = defineQuery<PushProvisioningView>('state');

export interface PushProvisioningView {
  state: string;
  seq: number;
  proxy: string;
  wallet: string;
  payloadsIssued: number;
  activeTokens: string[];
  rejection: string | null;
  walletDeadline: string | null;
  acceptedEvents: string[];
}
