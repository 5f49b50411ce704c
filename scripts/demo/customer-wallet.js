// 5. Customer wallet: a shop with the token option; a buyer pays through the payment form and saves the
// card (a saved-card actor starts), pays with it again, then deletes it. The 15-month purge is a
// Temporal timer that keeps running: its date is shown, the demo does not wait for it.
const { shopperCard } = require('./cards');

const money = (amount, currency) => `${(amount / 100).toFixed(2)} ${currency}`;

async function customerWallet(ctx) {
  const shopId = `demo-shop-${ctx.runId}`;
  const reference = `demo-buyer-${ctx.runId}`;
  const admin = ctx.token(['shops.write', 'backoffice.read']);
  const shop = ctx.token(['payments'], shopId);
  const v4 = (what, service, body, expect, detail) =>
    ctx.step(shop, {
      what,
      method: 'POST',
      route: `/api-payment/V4/${service}`,
      body,
      expect: { status: 'SUCCESS', ...expect },
      detail: ({ answer }) => detail(answer),
    });

  await ctx.step(admin, {
    what: `configure shop ${shopId}: token option, buyers may delete their cards`,
    method: 'PUT',
    route: `/shops/${shopId}`,
    body: { tokenPaymentOption: true, buyerDeletion: 'AUTOMATIC' },
    detail: (answer) =>
      `tokenPaymentOption ${answer.tokenPaymentOption}, buyerDeletion ${answer.buyerDeletion}`,
  });
  const { body: form } = await v4(
    `a payment form for buyer ${reference}`,
    'Charge/CreatePayment',
    {
      amount: 40000,
      currency: 'EUR',
      orderId: `demo-order-${ctx.runId}-1`,
      formAction: 'CUSTOMER_WALLET',
      customer: { email: 'buyer@example.com', reference },
    },
    {},
    (answer) => `formToken issued, ${answer.customerWallet.tokens.length} saved cards in the wallet`,
  );
  const { body: paid } = await ctx.step(null, {
    what: 'the buyer pays with a new card and saves it',
    method: 'POST',
    route: `/forms/${form.answer.formToken}/submit`,
    shownRoute: '/forms/{formToken}/submit',
    body: { card: shopperCard(), save: true },
    expect: { 'answer.orderStatus': 'PAID', 'answer.addedToWallet': true },
    detail: ({ answer }) =>
      `${answer.orderStatus} ${money(answer.payment.amount, answer.payment.currency)} by ` +
      `${answer.payment.brand}, saved as token ${answer.paymentMethodToken}`,
  });
  const paymentMethodToken = paid.answer.paymentMethodToken;

  await v4(
    'the shop charges the saved card again',
    'Charge/CreatePayment',
    { amount: 990, currency: 'EUR', orderId: `demo-order-${ctx.runId}-2`, paymentMethodToken },
    { 'answer.status': 'PAID' },
    (answer) => `${answer.status} ${money(answer.amount, answer.currency)} with the saved card`,
  );
  await v4(
    'the saved card',
    'Token/Get',
    { paymentMethodToken },
    { 'answer.status': 'ACTIVE', 'answer.uses': 1 },
    (answer) => `${answer.status}, ${answer.uses} use, purged on ${answer.purgeDate} unless used again`,
  );
  const { body: cancelled } = await v4(
    'the buyer deletes the card',
    'Token/Cancel',
    { paymentMethodToken, by: 'BUYER' },
    { 'answer.status': 'CANCELLED', 'answer.cancelledNow': true },
    (answer) => `${answer.status} by ${answer.cancelledBy}`,
  );
  await v4(
    "the buyer's wallet",
    'CustomerWallet/Get',
    { customer: { reference } },
    { 'answer.tokens': [] },
    (answer) => `${answer.tokens.length} cards to pay with`,
  );
  await ctx.step(admin, {
    what: "the shop's back office",
    method: 'GET',
    route: `/backoffice/shops/${shopId}/tokens?reference=${reference}`,
    detail: (answer) =>
      answer.tokens
        .map((t) => `${t.paymentMethodToken} ${t.status} (${t.history.map((h) => h.event).join(' > ')})`)
        .join('; '),
  });
  ctx.workflow(
    `saved card of buyer ${reference}`,
    `saved-card:${paymentMethodToken}`,
    cancelled.answer.status.toLowerCase(),
  );
}

module.exports = {
  title: '5. Customer wallet: a saved card paid with, used again, deleted',
  run: customerWallet,
};
