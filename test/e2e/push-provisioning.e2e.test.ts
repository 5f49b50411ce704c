import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptionCodec } from '@tlo/temporal';
import { KeyRing } from '@tlo/crypto';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { TEST_PAN, newCard } from '../support/cards';
import { decodedHistoryJson, rawHistoryJson } from '../support/histories';
import { dumpDatabase } from '../support/mongo';
import { openWalletData, rawPrivateKey } from '../support/node-envelope';
import { Stack } from '../support/stack';
import { WebhookReceiver } from '../support/webhook-receiver';

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';

/** Push provisioning end to end: HTTP → API process → Temporal dev server → worker process → FerretDB. */
describe('push provisioning end to end', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let pci: string;
  const workflowIds: string[] = [];

  beforeAll(async () => {
    receiver = await new WebhookReceiver('e2e-partner-secret').start();
    stack = await Stack.start({ partnerWebhookUrl: receiver.url });
    admin = stack.token('cards.write', 'cards.read', 'wallet.events');
    pci = stack.token('card.pci.token.create');
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  const createCard = async () =>
    (await stack.request<{ proxy: string }>('POST', '/cards', { token: admin, body: newCard() })).body.proxy;
  const walletEvent = (proxy: string, wallet: string, eventType: string, tokenReferenceId: string) =>
    stack.request<{ state: string }>('POST', '/wallet-events', {
      token: admin,
      body: { proxy, wallet, eventType, tokenReferenceId },
    });

  async function record(name: string, workflowId: string): Promise<void> {
    await stack.client.workflow.getHandle(workflowId).result();
    if (!RECORD) return;
    mkdirSync(HISTORIES_DIR, { recursive: true });
    writeFileSync(join(HISTORIES_DIR, `${name}.json`), await rawHistoryJson(stack.client, workflowId));
  }

  it('pushes a card to Apple Pay: payload sealed to the leaf certificate, activation, removal, partner events', async () => {
    const proxy = await createCard();
    const { chainPem: chain, leafPrivateKeyPem } = await stack.appleChain();
    const response = await stack.request<{
      data: string;
      lastFourDigits: string;
      phoneNumber: string;
      address: object;
    }>('POST', `/cards-pci/${proxy}/wallet/ApplePay/brand/Mastercard`, {
      token: pci,
      headers: { 'api-version': '1.0' },
      body: { nonce: '0a1b2c3d', nonceSignature: 'ff00ee11', appleCertificate: chain },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      lastFourDigits: '4444',
      phoneNumber: '23415162342',
      address: newCard().address,
    });
    expect(Object.keys(response.body).sort()).toEqual(['address', 'data', 'lastFourDigits', 'phoneNumber']);

    const { fields: envelope, card: sealed } = openWalletData(
      response.body.data,
      rawPrivateKey(leafPrivateKeyPem),
    );
    expect(sealed).toEqual({
      primaryAccountNumber: TEST_PAN,
      expiration: '12/30',
      name: 'MARIA DA SILVA',
      nonce: '0a1b2c3d',
      nonceSignature: 'ff00ee11',
    });
    expect(envelope.ActivationData).toBe(
      createHmac('sha256', stack.activationKey).update(`${proxy}|0a1b2c3d`).digest('base64'),
    );

    expect((await walletEvent(proxy, 'ApplePay', 'TOKEN_ACTIVATED', 'DAPLMC0000000001')).body).toMatchObject({
      state: 'active',
    });
    expect((await walletEvent(proxy, 'ApplePay', 'TOKEN_DELETED', 'DAPLMC0000000001')).body).toMatchObject({
      state: 'removed',
    });
    const workflowId = `push-provisioning:${proxy}:ApplePay`;
    workflowIds.push(workflowId);
    await record('push-provisioning-apple-pay-added-and-removed', workflowId);

    const delivered = await receiver.waitFor((d) => d.filter((w) => w.body.proxy === proxy).length === 2);
    expect(
      delivered.filter((w) => w.body.proxy === proxy).map((w) => [w.body.name, w.signatureValid]),
    ).toEqual([
      ['CARD_WAS_ADDED_TO_WALLET', true],
      ['CARD_WAS_REMOVED_FROM_WALLET', true],
    ]);

    const tokens = await stack.request<{ wallets: Array<Record<string, unknown>> }>(
      'GET',
      `/cards/${proxy}/wallet-tokens`,
      {
        token: admin,
      },
    );
    expect(tokens.body.wallets).toHaveLength(1);
    expect(tokens.body.wallets[0]).toMatchObject({
      wallet: 'ApplePay',
      state: 'removed',
      version: 6,
      payloadsIssued: 1,
    });
    expect((tokens.body.wallets[0].transitions as Array<{ to: string }>).map((t) => t.to)).toEqual([
      'idle',
      'checkingCard',
      'issuingPayload',
      'awaitingWallet',
      'active',
      'removed',
    ]);

    const described = await stack.client.workflow.getHandle(workflowId).describe();
    expect(described.searchAttributes).toMatchObject({
      Lifecycle: ['push-provisioning'],
      LifecycleState: ['removed'],
      CardId: [proxy],
      Wallet: ['ApplePay'],
    });
  });

  it('loses nothing when the worker is killed mid-lifecycle: the work waits and completes after a restart', async () => {
    const proxy = await createCard();
    const payload = await stack.request('POST', `/cards-pci/${proxy}/wallet/GooglePay/brand/Mastercard`, {
      token: pci,
      headers: { 'api-version': '1.0' },
    });
    expect(payload.status).toBe(200);

    await stack.killWorker();
    // Accepted by the API while no worker runs: Temporal holds the update until a worker is back.
    const pendingActivation = walletEvent(proxy, 'GooglePay', 'TOKEN_ACTIVATED', 'DNITHE0000000001');
    await new Promise((r) => setTimeout(r, 3000));
    stack.startWorker();
    const activation = await pendingActivation;
    expect(activation.status).toBe(200);
    expect(activation.body).toMatchObject({ state: 'active' });

    expect((await walletEvent(proxy, 'GooglePay', 'TOKEN_DELETED', 'DNITHE0000000001')).body).toMatchObject({
      state: 'removed',
    });
    const workflowId = `push-provisioning:${proxy}:GooglePay`;
    workflowIds.push(workflowId);
    await record('push-provisioning-google-pay-worker-killed', workflowId);
    const events = await receiver.waitFor((d) => d.filter((w) => w.body.proxy === proxy).length === 2);
    expect(events.filter((w) => w.body.proxy === proxy).map((w) => w.body.name)).toEqual([
      'CARD_WAS_ADDED_TO_WALLET',
      'CARD_WAS_REMOVED_FROM_WALLET',
    ]);
    const transitions = await stack.request<{ wallets: Array<{ transitions: Array<{ seq: number }> }> }>(
      'GET',
      `/cards/${proxy}/wallet-tokens`,
      { token: admin },
    );
    expect(transitions.body.wallets[0].transitions.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('records a rejected provisioning (card not found)', async () => {
    const response = await stack.request(
      'POST',
      '/cards-pci/unknowncard42/wallet/GooglePay/brand/Mastercard',
      {
        token: pci,
        headers: { 'api-version': '1.0' },
      },
    );
    expect(response.status).toBe(404);
    const workflowId = 'push-provisioning:unknowncard42:GooglePay';
    workflowIds.push(workflowId);
    await record('push-provisioning-card-not-found', workflowId);
  });

  it('never lets a PAN appear in clear in Temporal history, search attributes, logs or MongoDB', async () => {
    expect(workflowIds.length).toBeGreaterThanOrEqual(2);
    const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));
    const panForms = [TEST_PAN, TEST_PAN.slice(0, 8), Buffer.from(TEST_PAN).toString('base64')];
    for (const workflowId of workflowIds) {
      const raw = await rawHistoryJson(stack.client, workflowId);
      const decoded = await decodedHistoryJson(stack.client, workflowId, codec);
      expect(decoded.length).toBeGreaterThan(raw.length / 2);
      // The decoded history really was decoded: it shows what the lifecycle did, in clear.
      expect(decoded).toContain(workflowId.includes('unknown') ? 'CARD_NOT_FOUND' : 'TOKEN_ACTIVATED');
      expect(raw).not.toContain('TOKEN_ACTIVATED');
      const described = JSON.stringify((await stack.client.workflow.getHandle(workflowId).describe()).raw);
      for (const form of panForms) {
        expect(raw).not.toContain(form);
        expect(decoded).not.toContain(form);
        expect(described).not.toContain(form);
      }
    }
    const logs = stack.allLogs();
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toContain(TEST_PAN);
    const database = await dumpDatabase(stack.mongo);
    expect(database).toContain('555555******4444');
    expect(database).not.toContain(TEST_PAN);
    expect(database).not.toContain(TEST_PAN.slice(0, 12)); // more than the masked 6+4 digits
  });
});
