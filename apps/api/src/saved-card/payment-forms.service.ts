import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@tlo/config';
import { type BuyerData, type EligibleBrand, acceptCard, buyerDataForPayment, maskPan } from '@tlo/domain';
import {
  type FormCustomer,
  IdempotencyRepository,
  type Payment,
  type PaymentForm,
  PaymentFormRepository,
  PaymentRepository,
  type Subscription,
} from '@tlo/persistence';
import { CONFIG } from '../core/tokens';
import {
  billingDetailsOf,
  type CardDto,
  type CreatePaymentDto,
  type CreateSubscriptionDto,
  type CreateTokenDto,
  type CustomerDto,
  type FormSubmitDto,
} from './saved-card.dto';
import { SavedCardsService, type TokenAnswer } from './saved-cards.service';
import { walletError } from './wallet-errors';

export interface FormAnswer {
  formToken: string;
  /** With formAction CUSTOMER_WALLET: the buyer's cards that can pay now. */
  customerWallet?: { reference: string; tokens: TokenAnswer[] };
}

/** What the form answers once submitted (what the shop gets back, as Lyra's kr-answer). */
export interface SubmissionAnswer {
  orderStatus: 'PAID' | 'SAVED';
  orderDetails: { orderId: string; amount: number; currency: string };
  customer: FormCustomer;
  payment: Payment | null;
  /** Set when a token was created; `addedToWallet` only when the form carried customer.reference. */
  paymentMethodToken: string | null;
  addedToWallet: boolean;
}

/** The one payment a form can make. */
const formPaymentId = (formToken: string) =>
  createHash('sha256').update(`form-payment:${formToken}`).digest('hex').slice(0, 32);

/** The buyer data in a request, as the wallet keeps it. */
const customerOf = (customer?: CustomerDto): FormCustomer => ({
  email: customer?.email ?? null,
  reference: customer?.reference ?? null,
  billingDetails: customer?.billingDetails ? billingDetailsOf(customer.billingDetails) : null,
});

/** Payments, token forms and subscriptions of a shop (Lyra V4's Charge/* services and the form). */
@Injectable()
export class PaymentFormsService {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly forms: PaymentFormRepository,
    private readonly payments: PaymentRepository,
    private readonly submissions: IdempotencyRepository,
    private readonly savedCards: SavedCardsService,
  ) {}

  /**
   * `Charge/CreatePayment`: with a paymentMethodToken it pays at once with that saved card; otherwise
   * it answers a formToken, with the buyer's usable cards when formAction is CUSTOMER_WALLET.
   */
  async createPayment(shopId: string, request: CreatePaymentDto): Promise<FormAnswer | Payment> {
    const customer = customerOf(request.customer);
    if (request.formAction === 'CUSTOMER_WALLET') {
      if (!customer.reference) throw walletError('CUSTOMER_REFERENCE_REQUIRED', 'customer.reference');
      await this.savedCards.requireTokenOption(shopId, 'formAction');
    }
    if (request.paymentMethodToken) {
      await this.savedCards.requireTokenOption(shopId, 'paymentMethodToken');
      return this.payWithToken(shopId, request.paymentMethodToken, {
        orderId: request.orderId,
        amount: request.amount,
        currency: request.currency,
        customer,
      });
    }
    const form = await this.forms.create(
      {
        shopId,
        kind: 'PAYMENT',
        amount: request.amount,
        currency: request.currency,
        orderId: request.orderId,
        formAction: request.formAction ?? null,
        customer,
      },
      this.config.customerWallet.formTtlMs,
    );
    if (request.formAction !== 'CUSTOMER_WALLET') return { formToken: form.formToken };
    return {
      formToken: form.formToken,
      customerWallet: {
        reference: customer.reference!,
        tokens: await this.savedCards.wallet(shopId, customer.reference!),
      },
    };
  }

  /** `Charge/CreateToken`: a form that saves a card without paying. */
  async createToken(shopId: string, request: CreateTokenDto): Promise<FormAnswer> {
    await this.savedCards.requireTokenOption(shopId, 'shop');
    const form = await this.forms.create(
      {
        shopId,
        kind: 'TOKEN',
        amount: 0,
        currency: request.currency,
        orderId: request.orderId,
        formAction: null,
        customer: customerOf(request.customer),
      },
      this.config.customerWallet.formTtlMs,
    );
    return { formToken: form.formToken };
  }

  /** `Charge/CreateSubscription`: recurring payments with an active saved card. */
  async createSubscription(shopId: string, request: CreateSubscriptionDto): Promise<Subscription> {
    await this.savedCards.requireTokenOption(shopId, 'paymentMethodToken');
    const token = await this.savedCards.get(shopId, request.paymentMethodToken);
    if (token.status !== 'ACTIVE') throw walletError(`TOKEN_${token.status}`, 'paymentMethodToken');
    return this.payments.subscribe({
      shopId,
      paymentMethodToken: request.paymentMethodToken,
      orderId: request.orderId,
      amount: request.amount,
      currency: request.currency,
      rrule: request.rrule,
    });
  }

  /**
   * The buyer submits the form: pays with a new card (saving it on request) or a saved one, or saves
   * a card. A form is used once: a repeat after success answers the same, a failed attempt can be
   * corrected and submitted again. Only while the form lives: after it expired, a repeat is answered
   * as expired, so its stored result (buyer data included) does not outlive it.
   */
  async submit(formToken: string, submission: FormSubmitDto): Promise<SubmissionAnswer> {
    const form = await this.forms.find(formToken);
    if (!form) throw walletError('UNKNOWN_FORM', 'formToken');
    if (Date.now() > Date.parse(form.expiresAt)) throw walletError('FORM_EXPIRED', 'formToken');
    const key = `form-submit:${formToken}`;
    const claim = await this.submissions.claim(key, 'form-submit');
    if (claim.kind === 'completed') return JSON.parse(claim.responseBody) as SubmissionAnswer;
    if (claim.kind === 'in-progress') throw walletError('FORM_IN_PROGRESS', 'formToken');
    try {
      const answer = await this.evaluate(form, submission);
      await this.submissions.complete(key, claim.claimId, JSON.stringify(answer));
      return answer;
    } catch (error) {
      await this.submissions.release(key, claim.claimId);
      throw error;
    }
  }

  private async evaluate(form: PaymentForm, submission: FormSubmitDto): Promise<SubmissionAnswer> {
    const order = { orderId: form.orderId, amount: form.amount, currency: form.currency };
    if (submission.paymentMethodToken) {
      if (form.kind === 'TOKEN') throw walletError('PAYMENT_METHOD_REQUIRED', 'card');
      // From the form, only a card of the buyer's own wallet can pay.
      const owned = await this.savedCards.ownedCard(form.shopId, submission.paymentMethodToken);
      if (!form.customer.reference || owned.customerReference !== form.customer.reference)
        throw walletError('UNKNOWN_TOKEN', 'paymentMethodToken');
      const payment = await this.payWithToken(
        form.shopId,
        submission.paymentMethodToken,
        { ...order, customer: form.customer },
        formPaymentId(form.formToken),
      );
      return {
        orderStatus: 'PAID',
        orderDetails: order,
        customer: payment.customer,
        payment,
        paymentMethodToken: null,
        addedToWallet: false,
      };
    }
    if (!submission.card) throw walletError('PAYMENT_METHOD_REQUIRED', 'card');
    const brand = this.acceptCard(submission.card);
    const save = form.kind === 'TOKEN' || submission.save === true;
    if (save) await this.savedCards.requireTokenOption(form.shopId, 'save');
    // The token first: saving it is idempotent (its id was drawn with the form), and so is the
    // form's payment (its id is the form's), so a submission retried after a failure pays once.
    if (save) {
      await this.savedCards.save({
        paymentMethodToken: form.paymentMethodToken,
        shopId: form.shopId,
        customerReference: form.customer.reference,
        brand,
        pan: submission.card.pan,
        expiryMonth: submission.card.expiryMonth,
        expiryYear: submission.card.expiryYear,
        email: form.customer.email,
        billingDetails: form.customer.billingDetails,
      });
    }
    const payment =
      form.kind === 'PAYMENT'
        ? await this.payments.record(
            {
              shopId: form.shopId,
              ...order,
              paymentMethodToken: save ? form.paymentMethodToken : null,
              brand,
              maskedPan: maskPan(submission.card.pan),
              customer: form.customer,
            },
            formPaymentId(form.formToken),
          )
        : null;
    return {
      orderStatus: payment ? 'PAID' : 'SAVED',
      orderDetails: order,
      customer: form.customer,
      payment,
      paymentMethodToken: save ? form.paymentMethodToken : null,
      addedToWallet: save && form.customer.reference !== null,
    };
  }

  /** The form's card checks (the domain's acceptance rule); a refusal names the card field at fault. */
  private acceptCard(card: CardDto): EligibleBrand {
    const acceptance = acceptCard(card, new Date());
    if (acceptance.ok) return acceptance.brand;
    const detail = acceptance.reason === 'BRAND_NOT_ELIGIBLE' ? acceptance.detail : undefined;
    throw walletError(acceptance.reason, `card.${acceptance.at}`, detail);
  }

  /**
   * A payment with a saved card: a use of the token (its actor must accept it), with the buyer data
   * saved with the card unless the request sent its own (which does not update the token).
   */
  private async payWithToken(
    shopId: string,
    paymentMethodToken: string,
    order: { orderId: string; amount: number; currency: string; customer: FormCustomer },
    paymentId?: string,
  ): Promise<Payment> {
    const { card } = await this.savedCards.use(shopId, paymentMethodToken, order.orderId);
    const requested: Partial<BuyerData> = {
      ...(order.customer.email ? { email: order.customer.email } : {}),
      ...(order.customer.billingDetails ? { billingDetails: order.customer.billingDetails } : {}),
    };
    const buyer = buyerDataForPayment(card, requested);
    return this.payments.record(
      {
        shopId,
        orderId: order.orderId,
        amount: order.amount,
        currency: order.currency,
        paymentMethodToken,
        brand: card.brand,
        maskedPan: card.maskedPan,
        customer: { reference: order.customer.reference ?? card.customerReference, ...buyer },
      },
      paymentId,
    );
  }
}
