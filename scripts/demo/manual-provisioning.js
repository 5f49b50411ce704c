// 2. Manual provisioning, the yellow path: the wallet asks for a decision (YELLOW), a one-time code is
// sent, a wrong code is refused, the right one activates the token. The code is delivered to the
// demo's own signed webhook (a WEBHOOK card program): the README's DIRECT outbox needs the database.
const { randomBytes } = require('node:crypto');
const { issuerCard } = require('./cards');
const { startOtpReceiver } = require('./otp-receiver');

/** A 6-digit code that is surely not `code`. */
const wrongCodeFor = (code) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function manualProvisioning(ctx) {
  const admin = ctx.token(['cards.write', 'programs.write']);
  const wallet = ctx.token(['wallet.events']);
  const webhookSecret = randomBytes(24).toString('hex');
  const receiver = await startOtpReceiver(webhookSecret);
  try {
    const programId = `demo-${ctx.runId}`;
    await ctx.step(admin, {
      what: "a card program sending its codes to the demo's webhook",
      method: 'PUT',
      route: `/card-programs/${programId}`,
      body: { otpDelivery: 'WEBHOOK', webhookUrl: receiver.url, webhookSecret },
      detail: (answer) =>
        `${answer.otpDelivery}, codes valid ${answer.otpTtlSeconds} s, ${answer.maxAttempts} attempts`,
    });
    const { body: card } = await ctx.step(admin, {
      what: `register a card of program ${programId}`,
      method: 'POST',
      route: '/cards',
      body: issuerCard({ programId, email: 'maria@example.com' }),
      accept: [201],
      detail: (answer) => `proxy ${answer.proxy}, last four ${answer.lastFourDigits}`,
    });

    const { body: decision } = await ctx.step(wallet, {
      what: 'the wallet asks for a decision (risk 50)',
      method: 'POST',
      route: '/tokenization-requests',
      body: { proxy: card.proxy, wallet: 'GooglePay', deviceId: `pixel-${ctx.runId}`, walletRiskScore: 50 },
      accept: [201],
      expect: { decision: 'YELLOW' },
      detail: (answer) =>
        `${answer.decision}, request ${answer.requestId}, methods ` +
        (answer.methods ?? []).map((m) => `${m.id} (${m.target})`).join(', '),
    });
    const route = `/tokenization-requests/${decision.requestId}`;
    await ctx.step(wallet, {
      what: 'send a code by SMS',
      method: 'POST',
      route: `${route}/otp`,
      body: { methodId: 'sms' },
      detail: (answer) =>
        `sent by ${answer.channel} to ${answer.target}, expires ${answer.expiresAt}, ${answer.sendsLeft} sends left`,
    });
    const { code } = await receiver.codeFor(decision.requestId);
    ctx.secrets.push(code);
    ctx.note("the code reached the demo's webhook with a valid signature (not shown)");

    const verify = (what, typed, expected) =>
      ctx.step(wallet, {
        what,
        method: 'POST',
        route: `${route}/otp/verify`,
        body: { code: typed },
        expect: { result: expected },
        detail: (answer) => `${answer.result}, ${answer.attemptsLeft} attempts left`,
      });
    await verify('the cardholder types a wrong code', wrongCodeFor(code), 'INVALID_CODE');
    await verify('the cardholder types the right code', code, 'VERIFIED');

    const { body: view } = await ctx.step(wallet, {
      what: 'read the request (projection)',
      method: 'GET',
      route,
      expect: { state: 'active', activatedBy: 'OTP' },
      detail: (answer) =>
        `${answer.state}, activated by ${answer.activatedBy}, ${answer.sends} send, ` +
        `${answer.wrongAttempts} wrong attempt (${answer.transitions.map((t) => t.event).join(' > ')})`,
    });
    ctx.workflow(
      `yellow path of request ${decision.requestId}`,
      `manual-provisioning:${decision.requestId}`,
      view.state,
    );
  } finally {
    await receiver.stop();
  }
}

module.exports = {
  title: '2. Manual provisioning, yellow path with a one-time code',
  run: manualProvisioning,
};
