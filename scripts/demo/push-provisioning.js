// 1. Push provisioning (README, "Try it"): a card in the issuer's registry is pushed to Google Pay and
// to Apple Pay (sealed to the key of a device chain under the development root the API trusts, as
// `npm run apple:dev-chain` makes it); each wallet then reports the token activated.
const { randomBytes } = require('node:crypto');
const { developmentAppleChain } = require('../lib/apple-chain');
const { issuerCard } = require('./cards');

const hex = (bytes) => randomBytes(bytes).toString('hex');
/** What the issuer app forwards from Apple's PassKit: nonce, its signature and the device chain. */
const applePayBody = async () => ({
  nonce: hex(16),
  nonceSignature: hex(64),
  appleCertificate: (await developmentAppleChain()).chainPem,
});

async function pushProvisioning(ctx) {
  const token = ctx.token(['cards.write', 'cards.read', 'card.pci.token.create', 'wallet.events']);
  const { body: card } = await ctx.step(token, {
    what: "register a Mastercard in the issuer's registry",
    method: 'POST',
    route: '/cards',
    body: issuerCard(),
    accept: [201],
    detail: (answer) => `proxy ${answer.proxy}, ${answer.status}, last four ${answer.lastFourDigits}`,
  });
  const { proxy } = card;

  for (const wallet of ['GooglePay', 'ApplePay']) {
    await ctx.step(token, {
      what: `push the card to ${wallet}`,
      method: 'POST',
      route: `/cards-pci/${proxy}/wallet/${wallet}/brand/Mastercard`,
      body: wallet === 'ApplePay' ? await applePayBody() : undefined,
      options: { headers: { 'api-version': '1.0' } },
      detail: (answer) =>
        `sealed payload for the wallet (${Buffer.from(answer.data, 'base64').length} bytes), ` +
        `last four ${answer.lastFourDigits}`,
    });
    await ctx.step(token, {
      what: `${wallet} reports TOKEN_ACTIVATED`,
      method: 'POST',
      route: '/wallet-events',
      body: { proxy, wallet, eventType: 'TOKEN_ACTIVATED', tokenReferenceId: `DEMO${hex(6).toUpperCase()}` },
      detail: (answer) => `state ${answer.state}`,
    });
  }

  const { body: tokens } = await ctx.step(token, {
    what: "read the card's wallet tokens (projections)",
    method: 'GET',
    route: `/cards/${proxy}/wallet-tokens`,
    detail: (answer) =>
      answer.wallets
        .map((w) => `${w.wallet} ${w.state} (${w.transitions.map((t) => t.to).join(' > ')})`)
        .join('; '),
  });
  for (const { wallet, workflowId, state } of tokens.wallets)
    ctx.workflow(`${wallet} token of card ${proxy}`, workflowId, state);
}

module.exports = { title: '1. Push provisioning (Google Pay, Apple Pay)', run: pushProvisioning };
