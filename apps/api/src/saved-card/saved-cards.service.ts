import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { AppConfig } from '@tlo/config';
import {
  type BuyerData,
  type CancellationRefusal,
  type CancelledBy,
  type EligibleBrand,
  LIFECYCLES,
  SEARCH_ATTRIBUTES,
  type SavedCardStatus,
  type ShopSettings,
  type SubscriptionWarning,
  cancellationOutcome,
  cardExpiredAt,
  isCardExpired,
  purgeDueAt,
  savedCardStatus,
  savedCardWorkflowId,
} from '@tlo/domain';
import type { SavedCardContext } from '@tlo/machines';
import {
  type NewSavedCard,
  PaymentRepository,
  ProjectionRepository,
  SavedCardRepository,
  type SavedCardView,
  ShopRepository,
} from '@tlo/persistence';
import { type SavedCardUse, cancelSavedCardUpdate, useSavedCardUpdate, type savedCard } from '@tlo/workflows';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { callLifecycle } from '../http/temporal-errors';
import { walletError } from './wallet-errors';

/** A token as the contract answers it: masked card, buyer data, lifecycle dates. */
export interface TokenAnswer {
  paymentMethodToken: string;
  status: SavedCardStatus;
  brand: EligibleBrand;
  maskedPan: string;
  expiryMonth: number;
  expiryYear: number;
  customer: { reference: string | null } & BuyerData;
  creationDate: string;
  lastUseDate: string;
  uses: number;
  /** When the card data is (or was) purged. */
  purgeDate: string;
  cancellationDate: string | null;
  cancelledBy: CancelledBy | null;
}

export interface CancelAnswer extends TokenAnswer {
  cancelledNow: boolean;
  warning?: SubscriptionWarning;
}

/** The request field a refused cancellation names. */
const CANCELLATION_REFUSAL_FIELDS: Record<CancellationRefusal, string> = {
  BUYER_DELETION_NOT_ALLOWED: 'by',
  TOKEN_PURGED: 'paymentMethodToken',
};

const UNSETTLED_SHOP = (shopId: string): ShopSettings => ({
  shopId,
  tokenPaymentOption: false,
  buyerDeletion: 'MANUAL',
  notificationUrl: null,
});

/** Saved cards (Lyra V4): one actor per token; the vault holds the card, the actor its lifecycle. */
@Injectable()
export class SavedCardsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly shops: ShopRepository,
    private readonly vault: SavedCardRepository,
    private readonly payments: PaymentRepository,
    private readonly projections: ProjectionRepository,
  ) {}

  /** A shop never configured has no token option and leaves deletion to the merchant. */
  async shop(shopId: string): Promise<ShopSettings> {
    return (await this.shops.find(shopId)) ?? UNSETTLED_SHOP(shopId);
  }

  async requireTokenOption(shopId: string, field: string): Promise<ShopSettings> {
    const shop = await this.shop(shopId);
    if (!shop.tokenPaymentOption) throw walletError('TOKEN_PAYMENT_OPTION_DISABLED', field);
    return shop;
  }

  /**
   * Stores the card (PAN encrypted) and starts its actor. Safe to repeat for the same token: the
   * vault keeps the first record and the actor is started once.
   */
  async save(token: NewSavedCard): Promise<SavedCardView> {
    await this.vault.save(token);
    const typedSearchAttributes: SearchAttributePair[] = [
      { key: SEARCH_ATTRIBUTES.lifecycle, value: LIFECYCLES.savedCard.name },
    ];
    if (token.customerReference)
      typedSearchAttributes.push({
        key: SEARCH_ATTRIBUTES.customerReference,
        value: token.customerReference,
      });
    try {
      await this.temporal.workflow.start<typeof savedCard>(LIFECYCLES.savedCard.workflowType, {
        workflowId: savedCardWorkflowId(token.paymentMethodToken),
        taskQueue: this.config.temporal.taskQueue,
        args: [
          {
            paymentMethodToken: token.paymentMethodToken,
            shopId: token.shopId,
            customerReference: token.customerReference,
            cardExpiresAt: cardExpiredAt(token.expiryMonth, token.expiryYear).toISOString(),
            purgeAfterMonths: this.config.customerWallet.purgeAfterMonths,
          },
        ],
        typedSearchAttributes,
        staticSummary: `Saved ${token.brand} card of shop ${token.shopId}${
          token.customerReference ? `, buyer ${token.customerReference}` : ''
        }`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return (await this.vault.find(token.paymentMethodToken))!;
  }

  /** A payment with the token: the actor must accept the use (it restarts the inactivity clock). */
  async use(
    shopId: string,
    paymentMethodToken: string,
    orderId: string,
  ): Promise<{ card: SavedCardView; use: SavedCardUse }> {
    const card = await this.ownedCard(shopId, paymentMethodToken);
    if (card.purgedAt) throw walletError('TOKEN_PURGED', 'paymentMethodToken');
    const use = await this.toActor(card, (handle) =>
      handle.executeUpdate(useSavedCardUpdate, { args: [{ orderId }] }),
    );
    return { card, use };
  }

  async get(shopId: string, paymentMethodToken: string): Promise<TokenAnswer> {
    return this.answer(await this.ownedCard(shopId, paymentMethodToken));
  }

  /** Logical deletion, as the cancellation policy decides it (who asks, the shop, subscriptions). */
  async cancel(shopId: string, paymentMethodToken: string, by: CancelledBy): Promise<CancelAnswer> {
    const card = await this.ownedCard(shopId, paymentMethodToken);
    const [shop, subscriptions] = await Promise.all([
      this.shop(shopId),
      this.payments.activeSubscriptions(paymentMethodToken),
    ]);
    const outcome = cancellationOutcome({
      by,
      buyerDeletion: shop.buyerDeletion,
      purged: card.purgedAt !== null,
      activeSubscriptionIds: subscriptions.map((s) => s.subscriptionId),
    });
    if (outcome.kind === 'REFUSED')
      throw walletError(outcome.reason, CANCELLATION_REFUSAL_FIELDS[outcome.reason]);
    const { warning } = outcome;
    if (outcome.kind === 'KEPT') return { ...(await this.answer(card)), cancelledNow: false, warning };
    const result = await this.toActor(card, (handle) =>
      handle.executeUpdate(cancelSavedCardUpdate, { args: [{ by }] }),
    );
    return {
      ...(await this.answer(card)),
      cancelledNow: result.cancelledNow,
      ...(warning ? { warning } : {}),
    };
  }

  /** The buyer's wallet: the cards that can pay now (active, card not expired). */
  async wallet(shopId: string, reference: string): Promise<TokenAnswer[]> {
    const cards = await this.vault.listOfBuyer(shopId, reference);
    const answers = await Promise.all(cards.map((card) => this.answer(card)));
    const now = new Date();
    return answers.filter(
      (token) => token.status === 'ACTIVE' && !isCardExpired(token.expiryMonth, token.expiryYear, now),
    );
  }

  async updateWallet(shopId: string, reference: string, buyer: Partial<BuyerData>): Promise<TokenAnswer[]> {
    await this.vault.updateBuyerData(shopId, reference, buyer);
    const cards = await this.vault.listOfBuyer(shopId, reference);
    return Promise.all(cards.map((card) => this.answer(card)));
  }

  /** The back office: every token, cancelled and purged ones too, with its lifecycle history. */
  async backOffice(shopId: string, reference?: string) {
    const cards = await this.vault.listByShop(shopId, reference);
    return Promise.all(
      cards.map(async (card) => ({
        ...(await this.answer(card)),
        hasCardData: card.hasCardData,
        history: await this.projections.trailOf(savedCardWorkflowId(card.paymentMethodToken)),
      })),
    );
  }

  async ownedCard(shopId: string, paymentMethodToken: string): Promise<SavedCardView> {
    const card = await this.vault.find(paymentMethodToken);
    // Another shop's token is answered as unknown: its existence is not disclosed.
    if (!card || card.shopId !== shopId) throw walletError('UNKNOWN_TOKEN', 'paymentMethodToken');
    return card;
  }

  private async answer(card: SavedCardView): Promise<TokenAnswer> {
    const projection = await this.projections.find<SavedCardContext>(
      savedCardWorkflowId(card.paymentMethodToken),
    );
    const lifecycle = projection?.view;
    const lastUseDate = lifecycle?.lastUsedAt ?? card.createdAt;
    return {
      paymentMethodToken: card.paymentMethodToken,
      // Not projected yet: the actor was started a moment ago and is active.
      status: projection ? savedCardStatus(projection.state) : 'ACTIVE',
      brand: card.brand,
      maskedPan: card.maskedPan,
      expiryMonth: card.expiryMonth,
      expiryYear: card.expiryYear,
      customer: { reference: card.customerReference, email: card.email, billingDetails: card.billingDetails },
      creationDate: card.createdAt,
      lastUseDate,
      uses: lifecycle?.uses ?? 0,
      purgeDate:
        lifecycle?.purgedAt ??
        purgeDueAt(new Date(lastUseDate), this.config.customerWallet.purgeAfterMonths).toISOString(),
      cancellationDate: lifecycle?.cancelledAt ?? null,
      cancelledBy: lifecycle?.cancelledBy ?? null,
    };
  }

  /** Calls the token's actor; its refusals (TokenNotUsable) answer as the contract's token errors. */
  private toActor<T>(
    card: SavedCardView,
    call: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<T>,
  ): Promise<T> {
    const handle = this.temporal.workflow.getHandle(savedCardWorkflowId(card.paymentMethodToken));
    return callLifecycle(() => call(handle), {
      // The actor ends with the purge: a call after it finds the workflow completed.
      notFound: async (otherwise) => {
        if ((await this.vault.find(card.paymentMethodToken))?.purgedAt)
          throw walletError('TOKEN_PURGED', 'paymentMethodToken');
        throw otherwise;
      },
    });
  }
}
