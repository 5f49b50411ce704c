import { randomBytes, randomUUID } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import type { BillingDetails, EligibleBrand } from '@tlo/domain';
import { insertUnlessDuplicate } from './connection';

export interface FormCustomer {
  email: string | null;
  reference: string | null;
  billingDetails: BillingDetails | null;
}

/** What a formToken stands for: an order to pay (and maybe save a card), or a card to save. */
export interface PaymentForm {
  formToken: string;
  shopId: string;
  kind: 'PAYMENT' | 'TOKEN';
  amount: number;
  currency: string;
  orderId: string;
  /** `CUSTOMER_WALLET` proposes the buyer's saved cards and lets a new one join the wallet. */
  formAction: string | null;
  customer: FormCustomer;
  /** Drawn with the form, so a retried submission saves the same token, never a second one. */
  paymentMethodToken: string;
  expiresAt: string;
}

const formSchema = new Schema<PaymentForm>(
  {
    formToken: { type: String, required: true, unique: true },
    shopId: { type: String, required: true },
    kind: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    orderId: { type: String, required: true },
    formAction: { type: String, default: null },
    customer: { type: Schema.Types.Mixed, required: true },
    paymentMethodToken: { type: String, required: true },
    expiresAt: { type: String, required: true },
  },
  { collection: 'payment_forms', versionKey: false, minimize: false },
);

export type NewPaymentForm = Omit<PaymentForm, 'formToken' | 'paymentMethodToken' | 'expiresAt'>;

export class PaymentFormRepository {
  private readonly forms: Model<PaymentForm>;

  constructor(connection: Connection) {
    this.forms = connection.models.PaymentForm ?? connection.model<PaymentForm>('PaymentForm', formSchema);
  }

  async create(form: NewPaymentForm, ttlMs: number): Promise<PaymentForm> {
    const created: PaymentForm = {
      ...form,
      formToken: randomBytes(24).toString('base64url'),
      paymentMethodToken: randomBytes(16).toString('hex'),
      expiresAt: new Date(Date.now() + ttlMs).toISOString(),
    };
    await this.forms.create(created);
    return created;
  }

  find(formToken: string): Promise<PaymentForm | null> {
    return this.forms.findOne({ formToken }, { _id: 0 }).lean<PaymentForm>().exec();
  }
}

/** A payment as the shop and the back office see it: masked card, buyer data used. */
export interface Payment {
  paymentId: string;
  shopId: string;
  orderId: string;
  amount: number;
  currency: string;
  status: 'PAID';
  paymentMethodToken: string | null;
  brand: EligibleBrand;
  maskedPan: string;
  customer: FormCustomer;
  createdAt: string;
}

const paymentSchema = new Schema<Payment>(
  {
    paymentId: { type: String, required: true, unique: true },
    shopId: { type: String, required: true, index: true },
    orderId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    status: { type: String, required: true },
    paymentMethodToken: { type: String, default: null, index: true },
    brand: { type: String, required: true },
    maskedPan: { type: String, required: true },
    customer: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: String, required: true },
  },
  { collection: 'payments', versionKey: false, minimize: false },
);

export interface Subscription {
  subscriptionId: string;
  shopId: string;
  paymentMethodToken: string;
  orderId: string;
  amount: number;
  currency: string;
  rrule: string;
  status: 'ACTIVE';
  createdAt: string;
}

const subscriptionSchema = new Schema<Subscription>(
  {
    subscriptionId: { type: String, required: true, unique: true },
    shopId: { type: String, required: true },
    paymentMethodToken: { type: String, required: true, index: true },
    orderId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    rrule: { type: String, required: true },
    status: { type: String, required: true },
    createdAt: { type: String, required: true },
  },
  { collection: 'subscriptions', versionKey: false },
);

/** Payments and the subscriptions that pay with a saved card. */
export class PaymentRepository {
  private readonly payments: Model<Payment>;
  private readonly subscriptions: Model<Subscription>;

  constructor(connection: Connection) {
    this.payments = connection.models.Payment ?? connection.model<Payment>('Payment', paymentSchema);
    this.subscriptions =
      connection.models.Subscription ?? connection.model<Subscription>('Subscription', subscriptionSchema);
  }

  /** The unique payment and subscription ids back the at-most-once payment of a form: ensure them. */
  async ensureIndexes(): Promise<void> {
    await Promise.all([this.payments.syncIndexes(), this.subscriptions.syncIndexes()]);
  }

  /**
   * Records a payment. With a `paymentId` chosen by the caller (one per form) a repeat records
   * nothing and answers the first record: a retried submission never pays twice.
   */
  async record(
    payment: Omit<Payment, 'paymentId' | 'createdAt' | 'status'>,
    paymentId: string = randomUUID().replace(/-/g, ''),
  ): Promise<Payment> {
    const recorded: Payment = { ...payment, paymentId, status: 'PAID', createdAt: new Date().toISOString() };
    if (await insertUnlessDuplicate(this.payments, recorded)) return recorded;
    return (await this.payments.findOne({ paymentId }, { _id: 0 }).lean<Payment>())!;
  }

  async subscribe(
    subscription: Omit<Subscription, 'subscriptionId' | 'createdAt' | 'status'>,
  ): Promise<Subscription> {
    const created: Subscription = {
      ...subscription,
      subscriptionId: randomUUID().replace(/-/g, ''),
      status: 'ACTIVE',
      createdAt: new Date().toISOString(),
    };
    await this.subscriptions.create(created);
    return created;
  }

  activeSubscriptions(paymentMethodToken: string): Promise<Subscription[]> {
    return this.subscriptions
      .find({ paymentMethodToken, status: 'ACTIVE' }, { _id: 0 })
      .lean<Subscription[]>()
      .exec();
  }
}
