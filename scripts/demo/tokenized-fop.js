// 3. Tokenized form of payment: Google's Standard Payments calls to the integrator. The user signs in
// on the integrator's page (redirect authentication, the proof the demo can produce over HTTP), then
// Google associates the account with a Google Payment Token, and later refreshes the token after a
// second sign-in. The token is drawn here and never printed.
const { randomBytes, randomInt, randomUUID } = require('node:crypto');

/**
 * Where Google takes the user back after the sign-in (on one of Google's return origins, the only ones
 * the page sends a user to); the demo reads the redirect, never follows it.
 */
const GOOGLE_RETURN_URL = 'https://pay.google.com/payments/return';

const requestHeader = () => ({
  requestId: randomUUID(),
  requestTimestamp: String(Date.now()),
  protocolVersion: { major: 1, minor: 0, revision: 0 },
});
const when = (milliseconds) => new Date(Number(milliseconds)).toISOString();

async function tokenizedFop(ctx) {
  const admin = ctx.token(['fop.admin']);
  const google = ctx.token(['standard-payments']);
  const account = {
    accountId: `acct-${ctx.runId}`,
    phoneNumber: `+55119${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    username: `demo-${ctx.runId}`,
    password: randomBytes(12).toString('base64url'),
  };
  await ctx.step(admin, {
    what: "an account of the integrator's user",
    method: 'POST',
    route: '/fop/accounts',
    body: account,
    accept: [201],
    detail: (answer) => `${answer.accountId}, user ${answer.username}, phone ${answer.phoneNumber}`,
  });

  /** The user signs in on the integrator's page under Google's requestId: the proof of authentication. */
  const signIn = async (purpose) => {
    const requestId = `demo-${purpose}-${randomUUID()}`;
    await ctx.step(null, {
      what: `Google sends the user to the sign-in page (${purpose})`,
      method: 'GET',
      route: `/standard-payments/auth?requestId=${requestId}&returnUrl=${encodeURIComponent(GOOGLE_RETURN_URL)}`,
      detail: () => 'the HTML sign-in page',
    });
    await ctx.step(null, {
      what: 'the user signs in',
      method: 'POST',
      route: '/standard-payments/auth',
      options: {
        form: {
          requestId,
          returnUrl: GOOGLE_RETURN_URL,
          username: account.username,
          password: account.password,
        },
      },
      accept: [303],
      detail: (_answer, status) => `${status}: back to Google with requestId ${requestId}`,
    });
    return requestId;
  };
  const standardPayments = (what, method, body, expect, detail) =>
    ctx.step(google, {
      what,
      method: 'POST',
      route: `/standard-payments/v1/${method}`,
      body: { requestHeader: requestHeader(), ...body },
      expect,
      detail,
    });

  const googlePaymentToken = randomBytes(32).toString('base64url');
  const associationId = `demo-association-${randomUUID()}`;
  const associating = await signIn('associate');
  await standardPayments(
    'Google associates the account',
    'associateAccount',
    { authenticationRequestId: associating, associationId, googlePaymentToken },
    { result: 'SUCCESS', accountId: account.accountId },
    (answer) =>
      `${answer.result}, account ${answer.accountId}, token expires ${when(answer.tokenExpirationTime)}`,
  );
  const refreshing = await signIn('refresh');
  await standardPayments(
    'Google refreshes the token',
    'refreshToken',
    { authenticationRequestId: refreshing, googlePaymentToken },
    { result: 'SUCCESS' },
    (answer) => `${answer.result}, token expires ${when(answer.tokenExpirationTime)}`,
  );
  const { body: listed } = await ctx.step(admin, {
    what: "the account's instruments",
    method: 'GET',
    route: `/fop/instruments?accountId=${account.accountId}`,
    expect: { 'instruments.0.associationId': associationId },
    detail: (answer) =>
      answer.instruments.map((i) => `${i.associationId} ${i.state}, ${i.refreshes} refresh`).join('; '),
  });

  // A sign-in is used once: associateAccount and refreshToken each consumed theirs.
  ctx.workflow('sign-in for the association', `fop-authentication:${associating}`, 'consumed');
  ctx.workflow('sign-in for the refresh', `fop-authentication:${refreshing}`, 'consumed');
  ctx.workflow(
    `instrument of account ${account.accountId}`,
    `fop-instrument:${associationId}`,
    listed.instruments[0].state,
  );
}

module.exports = {
  title: '3. Tokenized form of payment: authenticate, associate, refresh',
  run: tokenizedFop,
};
