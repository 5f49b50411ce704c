// The product's cases over HTTP, as the issuer app and the wallet call it: cards come from the card
// repository (not timed), each operation gets a card of its own.
const { randomBytes } = require('node:crypto');
const { createServer } = require('node:http');
const path = require('node:path');
const { ROOT } = require('../lib/processes');
const { issuerCard } = require('../demo/cards');

const TIME_LIMIT_MS = 120_000;
const hex = (bytes) => randomBytes(bytes).toString('hex');

/** The issuer's end of a WEBHOOK card program: resolves each request's code as it is delivered. */
async function startOtpReceiver(secret) {
  const { verifyWebhookSignature } = require(path.join(ROOT, 'dist/libs/crypto/src'));
  const waiting = new Map();
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const signed = verifyWebhookSignature(
        secret,
        String(request.headers['x-timestamp']),
        raw,
        String(request.headers['x-signature']),
      );
      if (!signed) return response.writeHead(401).end();
      const body = JSON.parse(raw);
      waiting.get(body.requestId)?.(body.code);
      waiting.delete(body.requestId);
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/otp`,
    /** Call before the send: the code may arrive before the send's answer. */
    expect(requestId) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no code at the webhook in 60 s')), 60_000);
        waiting.set(requestId, (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

class Product {
  constructor(stack) {
    this.stack = stack;
  }

  async open() {
    const { issueToken } = require(path.join(ROOT, 'dist/apps/api/src/auth/jwt'));
    const persistence = require(path.join(ROOT, 'dist/libs/persistence/src'));
    const { config } = this.stack;
    this.token = issueToken(config.auth.jwtSecret, config.auth.issuer, 'bench', [
      'cards.read',
      'cards.write',
      'card.pci.token.create',
      'wallet.events',
      'programs.write',
    ]);
    this.mongo = await persistence.connectMongo(this.stack.mongoUri.replace(/\?.*$/, ''));
    this.repositories = persistence.createRepositories(
      this.mongo,
      persistence.fieldCipherFor(config.fieldEncryptionKeys),
    );
    this.webhookSecret = hex(24);
    this.receiver = await startOtpReceiver(this.webhookSecret);
    this.yellowProgram = `bench-${hex(4)}`;
    await this.call('PUT', `/card-programs/${this.yellowProgram}`, {
      otpDelivery: 'WEBHOOK',
      webhookUrl: this.receiver.url,
      webhookSecret: this.webhookSecret,
    });
    this.pools = { default: [], yellow: [] };
  }

  async close() {
    await this.receiver?.stop();
    await this.mongo?.close();
  }

  async call(method, route, body, accept = [200]) {
    const headers = { authorization: `Bearer ${this.token}`, 'api-version': '1.0' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.stack.apiUrl}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIME_LIMIT_MS),
    });
    const text = await response.text();
    if (!accept.includes(response.status))
      throw new Error(`${method} ${route.split('/')[1]} answered ${response.status}`);
    return text ? JSON.parse(text) : null;
  }

  /** Creates `count` cards through the card repository, `parallel` at a time. */
  async createCards(count, { programId, parallel = 8 } = {}) {
    const created = [];
    let next = 0;
    const base = issuerCard(programId ? { programId, email: 'maria@example.com' } : {});
    const one = async () => {
      while (next < count) {
        next += 1;
        const card = await this.repositories.cards.create({ ...base, status: 'ACTIVE' });
        created.push(card.proxy);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, one));
    return created;
  }

  /** Tops up a pool of fresh cards to `count`, so operations do not create cards while timed. */
  async fillPool(kind, count) {
    const pool = this.pools[kind];
    if (pool.length < count)
      pool.push(
        ...(await this.createCards(count - pool.length, {
          programId: kind === 'yellow' ? this.yellowProgram : undefined,
        })),
      );
  }

  async card(kind) {
    return (
      this.pools[kind].pop() ??
      (await this.createCards(1, { programId: kind === 'yellow' ? this.yellowProgram : undefined }))[0]
    );
  }

  /** GooglePay push provisioning: the issuer app's synchronous request for a sealed payload. */
  push(proxy) {
    return this.call('POST', `/cards-pci/${proxy}/wallet/GooglePay/brand/Mastercard`);
  }

  walletEvent(proxy, eventType, tokenReferenceId) {
    return this.call('POST', '/wallet-events', { proxy, wallet: 'GooglePay', eventType, tokenReferenceId });
  }

  /** The whole push lifecycle: payload, the wallet's activation, then its deletion (the actor ends). */
  async lifecycle(proxy) {
    await this.push(proxy);
    const tokenReferenceId = `BENCH${hex(8).toUpperCase()}`;
    await this.walletEvent(proxy, 'TOKEN_ACTIVATED', tokenReferenceId);
    await this.walletEvent(proxy, 'TOKEN_DELETED', tokenReferenceId);
  }

  /** Manual provisioning's yellow path: decision, a code sent to the webhook, the code verified. */
  async yellow(proxy) {
    const decision = await this.call(
      'POST',
      '/tokenization-requests',
      { proxy, wallet: 'GooglePay', deviceId: `bench-${hex(6)}`, walletRiskScore: 50 },
      [201],
    );
    if (decision.decision !== 'YELLOW') throw new Error(`decision ${decision.decision}, not YELLOW`);
    const route = `/tokenization-requests/${decision.requestId}`;
    const code = this.receiver.expect(decision.requestId);
    code.catch(() => {});
    await this.call('POST', `${route}/otp`, { methodId: 'sms' });
    const verified = await this.call('POST', `${route}/otp/verify`, { code: await code });
    if (verified.result !== 'VERIFIED') throw new Error(`verify answered ${verified.result}`);
  }
}

module.exports = { Product };
