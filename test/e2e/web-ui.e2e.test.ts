import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { Stack } from '../support/stack';
import { type YellowPath, YellowPathDriver } from '../support/yellow-path';
import { wrongCodeFor } from '../support/codes';
import { eventually } from '../support/eventually';
import { launchBrowser } from '../support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const servers = require('../../scripts/lib/servers');

/** `UPDATE_SCREENSHOTS=1` refreshes the README's screenshots in docs/; otherwise they go to a temp dir. */
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(__dirname, '..', '..', 'docs')
    : mkdtempSync(join(tmpdir(), 'tlo-ui-'));

/**
 * The operator's view in a real browser: a Temporal dev server with its Web UI and the API as codec
 * server (as `npm start` runs them), a yellow path locked by wrong codes, found in the UI by search
 * attributes and opened, its payloads decoded through the codec endpoint once the operator has signed
 * in to it and told the UI to send credentials; without that session the codec decodes nothing.
 */
/**
 * What the operator does once in the Web UI's Codec Server settings (stored in this browser): use
 * the browser's endpoint, the API's `/codec`, with cross-origin credentials so the session cookie goes
 * with each decode. The dev server's UI has no flag for credentials; a UI server can set
 * `TEMPORAL_CODEC_INCLUDE_CREDENTIALS` instead.
 */
async function pointUiAtCodec(page: Page, uiUrl: string, codecEndpoint: string): Promise<void> {
  await page.goto(`${uiUrl}/namespaces/default/workflows`);
  await page.locator('[data-testid^="data-encoder-status"]').first().click();
  await page.getByText('Use my browser setting').click();
  await page.locator('#data-encoder-endpoint-input').fill(codecEndpoint);
  await page.getByTestId('data-encoder-include-credentials').click();
  expect(await page.getByRole('switch', { name: 'Include cross-origin credentials' }).isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Apply' }).click();
  expect(await page.evaluate("localStorage.getItem('includeCredentials')")).toBe('true');
}

describe('Temporal Web UI for operators', () => {
  let temporal: { child: { pid: number }; address: string };
  let uiUrl: string;
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let locked: YellowPath;
  let pending: YellowPath;

  beforeAll(async () => {
    const uiPort = await processes.freePort();
    const apiPort = await processes.freePort();
    uiUrl = `http://127.0.0.1:${uiPort}`;
    temporal = await servers.startTemporalDevServer({
      port: await processes.freePort(),
      httpPort: await processes.freePort(),
      metricsPort: await processes.freePort(),
      uiPort,
      dbFile: null,
      codecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
      output: null,
    });
    stack = await Stack.start({
      temporalAddress: temporal.address,
      apiPort,
      env: { CODEC_CORS_ORIGINS: uiUrl },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (temporal) await processes.stopChild(temporal.child);
  });

  it('runs two yellow paths of one card: one locked by three wrong codes, one still waiting', async () => {
    const yellow = new YellowPathDriver(stack);
    locked = await yellow.start();
    const code = await yellow.sendCode(locked);
    for (let i = 0; i < 3; i++) await yellow.verify(locked, wrongCodeFor(code));
    expect(await yellow.state(locked)).toBe('locked');
    pending = await yellow.startForCard(locked.proxy);
    expect(await yellow.state(pending)).toBe('awaitingMethod');
  });

  it('lets the operator sign in to the codec server, which decodes nothing for anyone else', async () => {
    const codecEndpoint = `${stack.apiUrl}/codec`;
    const anonymous = await fetch(`${codecEndpoint}/decode`, {
      method: 'POST',
      headers: { origin: uiUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [] }),
    });
    expect(anonymous.status).toBe(401);

    await page.goto(`${codecEndpoint}/sign-in`);
    await page.locator('textarea[name="token"]').fill(stack.tokenAs('operator-ana', 'codec.decode'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').getByText('operator-ana').waitFor({ timeout: 30_000 });
    const [session] = (await page.context().cookies(`${codecEndpoint}/decode`)).filter(
      (c) => c.name === 'tlo_codec_session',
    );
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/codec' });

    await pointUiAtCodec(page, uiUrl, codecEndpoint);
  }, 60_000);

  it('finds the locked yellow path of the card by search attributes in the Web UI', async () => {
    const list = (query: string) =>
      page.goto(`${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    await list(`Lifecycle = "manual-provisioning" AND CardId = "${locked.proxy}"`);
    await page.getByRole('link', { name: pending.workflowId }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: locked.workflowId }).waitFor();

    const query = `Lifecycle = "manual-provisioning" AND LifecycleState = "locked" AND CardId = "${locked.proxy}"`;
    await list(query);
    await page.getByText('1 Workflow').first().waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: locked.workflowId }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'web-ui-search.png') });
    const body = await page.locator('body').innerText();
    expect(body).toContain(locked.workflowId);
    expect(body).not.toContain(pending.workflowId);
  }, 60_000);

  it('opens the workflow: summary, current details and the input decoded through the codec server', async () => {
    const decodes: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/codec/decode') decodes.push(response.status());
    });
    await page.getByRole('link', { name: locked.workflowId }).click();
    const visible = (text: string) =>
      page
        .getByText(text)
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(async () => {
          await page.screenshot({ path: join(SCREENSHOTS, 'debug.png'), fullPage: true });
          throw new Error(
            `"${text}" not shown (${SCREENSHOTS}/debug.png); page:\n${await page.locator('body').innerText()}`,
          );
        });
    await visible('"deviceId": "pixel-9"'); // the workflow's input, decrypted by the API's codec endpoint
    await page.screenshot({ path: join(SCREENSHOTS, 'web-ui-workflow.png') });
    await page
      .getByRole('link', { name: 'User Metadata' })
      .or(page.getByRole('tab', { name: 'User Metadata' }))
      .first()
      .click();
    // The UI renders summary and details as markdown in sandboxed frames: read every frame's text.
    const shown = await eventually(async () => {
      const texts = await Promise.all(
        page.frames().map((frame) =>
          frame
            .locator('body')
            .innerText()
            .catch(() => ''),
        ),
      );
      const all = texts.join('\n');
      expect(all).toContain(`Manual provisioning of card ${locked.proxy} to GooglePay`);
      expect(all).toMatch(/State:\s*locked/);
      return all;
    }, 30_000);
    expect(shown).toMatch(/Decision:\s*YELLOW/);
    expect(shown).toMatch(/Wrong attempts:\s*3\s*\S\s*3/);
    expect(shown).not.toContain('5555555555554444');
    await page.screenshot({ path: join(SCREENSHOTS, 'web-ui-user-metadata.png') });
    expect(decodes.length).toBeGreaterThan(0);
    expect(decodes.every((status) => status === 200)).toBe(true);
  }, 60_000);

  it('shows a browser that has not signed in no decrypted input: its decodes are 401', async () => {
    const stranger = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await pointUiAtCodec(stranger, uiUrl, `${stack.apiUrl}/codec`);
      const decodes: number[] = [];
      stranger.on('response', (response) => {
        if (new URL(response.url()).pathname === '/codec/decode') decodes.push(response.status());
      });
      const query = `Lifecycle = "manual-provisioning" AND CardId = "${locked.proxy}"`;
      await stranger.goto(`${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
      await stranger.getByRole('link', { name: locked.workflowId }).click({ timeout: 30_000 });
      await eventually(async () => expect(decodes.length).toBeGreaterThan(0), 30_000);
      expect(decodes.every((status) => status === 401)).toBe(true);
      expect(await stranger.locator('body').innerText()).not.toContain('"deviceId": "pixel-9"');
    } finally {
      await stranger.close();
    }
  }, 60_000);
});
