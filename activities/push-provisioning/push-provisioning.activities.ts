import { ApplicationFailure } from '@temporalio/activity';
import {
  CertificateError,
  type TrustAnchors,
  buildApplePayData,
  buildGooglePayData,
  p256PointFromSpkiPem,
  validateAppleCertificateChain,
} from '@tlo/crypto';
import type {
  CardEligibility,
  PartnerEvent,
  PayloadRequest,
  PushProvisioningInput,
  WalletPayload,
} from '@tlo/domain';
import type { CardRepository, PartnerEventRepository } from '@tlo/persistence';
import { type SignedWebhookSender, WebhookRejectedError } from '../webhooks/signed-webhook';

export interface PushProvisioningDeps {
  cards: CardRepository;
  partnerEvents: PartnerEventRepository;
  activationKey: Buffer;
  googlePayProviderPublicKeyPem: string;
  /** Roots an ApplePay chain must end at before card data is sealed to its leaf. */
  appleTrustAnchors: TrustAnchors;
  partnerWebhook: { url: string | null; secret: string };
  webhooks: SignedWebhookSender;
}

export function createPushProvisioningActivities(deps: PushProvisioningDeps) {
  const googlePayProviderKey = p256PointFromSpkiPem(deps.googlePayProviderPublicKeyPem);

  return {
    async checkCardForProvisioning(input: PushProvisioningInput): Promise<CardEligibility> {
      const card = await deps.cards.findMasked(input.proxy);
      if (!card) return { eligible: false, reason: 'CARD_NOT_FOUND' };
      if (card.status === 'CREATING') return { eligible: false, reason: 'CARD_BEING_CREATED' };
      if (card.status !== 'ACTIVE') return { eligible: false, reason: 'CARD_NOT_ACTIVE' };
      return { eligible: true, lastFourDigits: card.lastFourDigits };
    },

    /** Reads the PAN, seals it for the wallet and returns only the sealed payload and display data. */
    async issueWalletPayload(input: PushProvisioningInput, request: PayloadRequest): Promise<WalletPayload> {
      const found = await deps.cards.readSecrets(input.proxy);
      if (!found) throw ApplicationFailure.nonRetryable('card disappeared while issuing', 'CardNotFound');
      const { card, secrets } = found;
      let data: string;
      if (input.wallet === 'ApplePay') {
        if (!request.applePay)
          throw ApplicationFailure.nonRetryable('ApplePay needs nonce and certificates', 'BadRequest');
        let leafPublicKey: Uint8Array;
        try {
          // Checked again here, whoever started the lifecycle: only a vouched-for key gets the PAN.
          leafPublicKey = validateAppleCertificateChain(
            request.applePay.appleCertificate,
            deps.appleTrustAnchors,
          );
        } catch (error) {
          if (error instanceof CertificateError)
            throw ApplicationFailure.nonRetryable(error.message, 'BadCertificate');
          throw error;
        }
        data = buildApplePayData({
          card: secrets,
          proxy: input.proxy,
          nonce: request.applePay.nonce,
          nonceSignature: request.applePay.nonceSignature,
          leafPublicKey,
          activationKey: deps.activationKey,
        });
      } else {
        data = buildGooglePayData({ card: secrets, providerPublicKey: googlePayProviderKey });
      }
      return {
        data,
        lastFourDigits: card.lastFourDigits,
        phoneNumber: card.phoneNumber,
        address: card.address,
      };
    },

    /** Signed partner webhook; throws on non-2xx so Temporal retries with backoff until it lands. */
    async emitPartnerEvent(event: PartnerEvent): Promise<{ delivered: boolean }> {
      if (!deps.partnerWebhook.url) {
        await deps.partnerEvents.recordAttempt(event, null);
        return { delivered: false };
      }
      try {
        const status = await deps.webhooks.post(deps.partnerWebhook.url, deps.partnerWebhook.secret, event, {
          'x-event-id': event.eventId,
        });
        await deps.partnerEvents.recordAttempt(event, status);
        return { delivered: true };
      } catch (error) {
        await deps.partnerEvents.recordAttempt(
          event,
          error instanceof WebhookRejectedError ? error.status : null,
        );
        throw error;
      }
    },
  };
}
