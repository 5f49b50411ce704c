import { ApplicationFailure } from '@temporalio/activity';
import {
  type CardSecrets,
  CertificateError,
  type TrustAnchors,
  buildApplePayData,
  buildGooglePayData,
  p256PointFromSpkiPem,
  validateAppleCertificateChain,
} from '@tlo/crypto';
import type {
  CardEligibility,
  CardRejection,
  MaskedCard,
  PartnerEvent,
  PayloadRequest,
  PushProvisioningInput,
  WalletPayload,
} from '@tlo/domain';
import type { CardRepository, PartnerEventRepository } from '@tlo/persistence';
import { type SignedWebhookSender, WebhookRejectedError } from '../webhooks/signed-webhook';

/** Sealing's outcome for an eligible card: the payload, or the failure that refused it. */
export type IssueOutcome =
  { ok: true; payload: WalletPayload } | { ok: false; message: string; type: string };

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

  function eligibility(card: MaskedCard | null): CardEligibility {
    if (!card) return { eligible: false, reason: 'CARD_NOT_FOUND' };
    if (card.status === 'CREATING') return { eligible: false, reason: 'CARD_BEING_CREATED' };
    if (card.status !== 'ACTIVE') return { eligible: false, reason: 'CARD_NOT_ACTIVE' };
    return { eligible: true, lastFourDigits: card.lastFourDigits };
  }

  /** Seals the PAN for the wallet; returns only the sealed payload and display data. */
  function seal(
    input: PushProvisioningInput,
    request: PayloadRequest,
    { card, secrets }: { card: MaskedCard; secrets: CardSecrets },
  ): WalletPayload {
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
  }

  return {
    async checkCardForProvisioning(input: PushProvisioningInput): Promise<CardEligibility> {
      return eligibility(await deps.cards.findMasked(input.proxy));
    },

    /** Reads the PAN, seals it for the wallet and returns only the sealed payload and display data. */
    async issueWalletPayload(input: PushProvisioningInput, request: PayloadRequest): Promise<WalletPayload> {
      const found = await deps.cards.readSecrets(input.proxy);
      if (!found) throw ApplicationFailure.nonRetryable('card disappeared while issuing', 'CardNotFound');
      return seal(input, request, found);
    },

    /**
     * `checkCardForProvisioning` and `issueWalletPayload` on one read of the card: the eligibility,
     * then, for an eligible card, the sealed payload or why sealing was refused (as data, so the
     * workflow records the card as eligible before the payload as failed). Store errors still throw
     * and are retried.
     */
    async issueWalletPayloadIfEligible(
      input: PushProvisioningInput,
      request: PayloadRequest,
    ): Promise<{ eligible: false; reason: CardRejection } | { eligible: true; issued: IssueOutcome }> {
      const found = await deps.cards.readSecrets(input.proxy);
      const checked = eligibility(found?.card ?? null);
      if (!checked.eligible) return checked;
      if (!found) throw new Error('unreachable: an eligible card was found');
      try {
        return { eligible: true, issued: { ok: true, payload: seal(input, request, found) } };
      } catch (error) {
        if (!(error instanceof ApplicationFailure)) throw error;
        return { eligible: true, issued: { ok: false, message: error.message, type: error.type ?? 'Error' } };
      }
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
