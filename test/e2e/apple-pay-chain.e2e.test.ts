import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { pushProvisioningWorkflowId } from '@tlo/domain';
import { requestPayloadUpdate, type pushProvisioning } from '@tlo/workflows';
import { TEST_PAN, newCard } from '../support/cards';
import { makeAppleChain, makeRoot, makeSelfSignedLeaf } from '../support/certificates';
import { openWalletData, rawPrivateKey } from '../support/node-envelope';
import { runScript } from '../support/scripts';
import { Stack } from '../support/stack';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * ApplePay push provisioning seals the card to the leaf certificate's key, so the chain must end at a
 * trust anchor: here the development root in the stack's data dir, as `npm start` makes it.
 */
describe('ApplePay certificate chain (API and worker processes → Temporal dev server → FerretDB)', () => {
  let stack: Stack;
  let admin: string;
  let pci: string;

  beforeAll(async () => {
    stack = await Stack.start();
    admin = stack.token('cards.write', 'cards.read');
    pci = stack.token('card.pci.token.create');
  });
  afterAll(() => stack?.stop());

  const createCard = async () =>
    (await stack.request<{ proxy: string }>('POST', '/cards', { token: admin, body: newCard() })).body.proxy;
  const pushToApplePay = (proxy: string, appleCertificate: string) =>
    stack.request<{ data: string; code: string; field: string; message: string }>(
      'POST',
      `/cards-pci/${proxy}/wallet/ApplePay/brand/Mastercard`,
      {
        token: pci,
        headers: { 'api-version': '1.0' },
        body: { nonce: '0a1b2c3d', nonceSignature: 'ff00ee11', appleCertificate },
      },
    );
  const noLifecycleFor = async (proxy: string) => {
    const handle = stack.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'ApplePay'));
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const tokens = await stack.request<{ wallets: unknown[] }>('GET', `/cards/${proxy}/wallet-tokens`, {
      token: admin,
    });
    expect(tokens.body.wallets).toEqual([]);
  };

  it('refuses the rogue self-signed certificate: 400 naming appleCertificate, no lifecycle, nothing sealed', async () => {
    const proxy = await createCard();
    const rogue = await makeSelfSignedLeaf('rogue-apple-pay-leaf');
    const response = await pushToApplePay(proxy, rogue.certificatePem);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 'INVALID_FIELD',
      field: 'appleCertificate',
      message:
        'appleCertificate is not a trusted chain: certificate 1 (CN=rogue-apple-pay-leaf) is self-signed and is not a configured trust anchor',
    });
    expect(response.text).not.toContain(TEST_PAN);
    await noLifecycleFor(proxy);
  });

  it.each([
    [
      'a chain under another root',
      async () => (await makeAppleChain(await makeRoot())).chainPem,
      /trust anchor/,
    ],
    [
      'an expired leaf under the trusted root',
      async (stack: Stack) =>
        (
          await makeAppleChain(stack.appleRoot, {
            leaf: { notBefore: new Date(Date.now() - 30 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) },
          })
        ).chainPem,
      /certificate 1 .* expired on/,
    ],
    [
      'an intermediate that is not a CA',
      async (stack: Stack) =>
        (await makeAppleChain(stack.appleRoot, { intermediate: { ca: false } })).chainPem,
      /certificate 2 .* is not a CA certificate/,
    ],
  ])('refuses %s the same way', async (_case, chainPem, reason) => {
    const proxy = await createCard();
    const response = await pushToApplePay(proxy, await chainPem(stack));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_FIELD', field: 'appleCertificate' });
    expect(response.body.message).toMatch(reason);
    await noLifecycleFor(proxy);
  });

  it('seals to a chain from `npm run apple:dev-chain`: the EncryptedData opens with its leaf.key', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tlo-apple-')), 'apple');
    const made = await runScript('apple-dev-chain.js', [dir], { TLO_DATA_DIR: stack.dataDir });
    expect({ status: made.status, stderr: made.stderr }).toEqual({ status: 0, stderr: '' });
    expect(made.stdout).toContain(join(dir, 'chain.pem'));
    expect(statSync(join(dir, 'leaf.key')).mode & 0o777).toBe(0o600);
    const leafKey = readFileSync(join(dir, 'leaf.key'), 'utf8');
    expect(leafKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/); // PKCS#8
    const chain = readFileSync(join(dir, 'chain.pem'), 'utf8');
    expect(chain.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);

    const proxy = await createCard();
    const response = await pushToApplePay(proxy, chain);
    expect(response.status).toBe(200);
    const { card } = openWalletData(response.body.data, rawPrivateKey(leafKey));
    expect(card).toEqual({
      primaryAccountNumber: TEST_PAN,
      expiration: '12/30',
      name: 'MARIA DA SILVA',
      nonce: '0a1b2c3d',
      nonceSignature: 'ff00ee11',
    });
  });

  it('seals nothing to a rogue chain even for a lifecycle reached around the API, straight through Temporal', async () => {
    const proxy = await createCard();
    const rogue = await makeSelfSignedLeaf();
    const workflowId = pushProvisioningWorkflowId(proxy, 'ApplePay');
    const start = new WithStartWorkflowOperation<typeof pushProvisioning>('pushProvisioning', {
      workflowId,
      taskQueue: stack.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ proxy, wallet: 'ApplePay', walletActivationTimeoutMs: DAY_MS }],
    });
    const update = stack.client.workflow.executeUpdateWithStart(requestPayloadUpdate, {
      args: [
        {
          requestId: randomUUID(),
          applePay: { nonce: '0a1b', nonceSignature: 'ff00', appleCertificate: rogue.certificatePem },
        },
      ],
      startWorkflowOperation: start,
    });
    await expect(update).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const view = await stack.client.workflow.getHandle<typeof pushProvisioning>(workflowId).result();
    expect(view).toMatchObject({ state: 'failed', payloadsIssued: 0 });
  });

  it('apple:dev-chain: exit 2 without a dir, exit 1 when the development root can be neither read nor made', async () => {
    const usage = await runScript('apple-dev-chain.js', []);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run -s apple:dev-chain -- <dir>');

    const file = join(mkdtempSync(join(tmpdir(), 'tlo-apple-')), 'not-a-dir');
    writeFileSync(file, '');
    const unreachable = await runScript('apple-dev-chain.js', [join(tmpdir(), 'unused')], {
      TLO_DATA_DIR: join(file, 'data'),
    });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('cannot find or create the development Apple root');
    expect(unreachable.stderr).not.toContain('    at '); // a message, not a stack trace
  });
});
