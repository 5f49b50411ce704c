import { randomBytes } from 'node:crypto';
import { type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { addCalendarMonths, cardExpiredAt, savedCardWorkflowId } from '@tlo/domain';
import type { SavedCardContext } from '@tlo/machines';
import { cancelSavedCardUpdate, useSavedCardUpdate, type savedCard } from '@tlo/workflows';
import { eventually } from '../support/eventually';
import { dumpDatabase } from '../support/mongo';
import { PARTNER_SECRET, type WorkflowWorld, startWorkflowWorld } from '../support/workflow-world';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PAN = '4970101122334455';

describe('saved card lifecycle and the 15-month purge (time-skipping test server, real activities on FerretDB)', () => {
  let world: WorkflowWorld;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `saved-card-${randomBytes(4).toString('hex')}`;
  const shopId = 'shop-wf';
  const started: string[] = [];

  beforeAll(async () => {
    world = await startWorkflowWorld('wf_saved_card');
    await world.deps.shops.put(shopId, {
      tokenPaymentOption: true,
      buyerDeletion: 'AUTOMATIC',
      notificationUrl: world.receiver.url,
      notificationSecret: PARTNER_SECRET,
    });
    worker = await world.createWorker(taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    await world?.terminate(started);
    worker?.shutdown();
    await running;
    await world?.stop();
  });

  const now = () => world.env.currentTimeMs();
  /** Skips test-server time to `at` (epoch ms), or not at all if it has passed. */
  const skipTo = async (at: number) => {
    const wait = at - (await now());
    if (wait > 0) await world.env.sleep(wait);
  };

  const saveCard = async (
    options: { expiry?: { month: number; year: number }; maxTransitionsPerRun?: number } = {},
  ) => {
    const paymentMethodToken = randomBytes(16).toString('hex');
    const expiry = options.expiry ?? { month: 12, year: 2045 };
    await world.deps.savedCards.save({
      paymentMethodToken,
      shopId,
      customerReference: 'cust-wf',
      brand: 'VISA',
      pan: PAN,
      expiryMonth: expiry.month,
      expiryYear: expiry.year,
      email: 'buyer@example.com',
      billingDetails: null,
    });
    const workflowId = savedCardWorkflowId(paymentMethodToken);
    started.push(workflowId);
    const handle = await world.env.client.workflow.start<typeof savedCard>('savedCard', {
      workflowId,
      taskQueue,
      args: [
        {
          paymentMethodToken,
          shopId,
          customerReference: 'cust-wf',
          cardExpiresAt: cardExpiredAt(expiry.month, expiry.year).toISOString(),
          purgeAfterMonths: 15,
          maxTransitionsPerRun: options.maxTransitionsPerRun,
        },
      ],
    });
    const view = async () => (await world.deps.projections.find<SavedCardContext>(workflowId))!;
    await eventually(async () =>
      expect((await world.deps.projections.find(workflowId))?.state).toBe('active'),
    );
    const createdAt = Date.parse((await view()).view.lastUsedAt);
    return { paymentMethodToken, workflowId, handle, view, createdAt };
  };
  /**
   * Waits for the workflow to complete purged. Never `handle.result()`: awaiting a result lets the
   * time-skipping server jump ahead, which would move every other clock of the file.
   */
  const endsPurged = async (handle: WorkflowHandle, view: () => Promise<{ state: string }>) => {
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    expect(await state(view)).toBe('purged');
  };
  const state = async (view: () => Promise<{ state: string }>) => (await view()).state;

  it('purges an unused token at month 15, erasing its PAN ciphertext and keeping the masked data', async () => {
    const { paymentMethodToken, handle, view, createdAt } = await saveCard();
    const ciphertext = JSON.stringify(await dumpDatabase(world.mongo)).match(/v1\.test\.[A-Za-z0-9+/=]+/)![0];
    expect(await world.deps.savedCards.readPan(paymentMethodToken)).toBe(PAN);

    const purgeAt = addCalendarMonths(new Date(createdAt), 15).getTime();
    await skipTo(purgeAt - MINUTE);
    expect(await state(view)).toBe('active');
    expect((await world.deps.savedCards.find(paymentMethodToken))!.hasCardData).toBe(true);

    await skipTo(purgeAt + MINUTE);
    await endsPurged(handle, view);
    const purged = await view();
    expect(purged.state).toBe('purged');
    expect(Date.parse(purged.view.purgedAt!)).toBeGreaterThanOrEqual(purgeAt);
    expect(Date.parse(purged.view.purgedAt!)).toBeLessThan(purgeAt + MINUTE);
    const card = (await world.deps.savedCards.find(paymentMethodToken))!;
    expect(card).toMatchObject({ hasCardData: false, maskedPan: '497010******4455', brand: 'VISA' });
    expect(await world.deps.savedCards.readPan(paymentMethodToken)).toBeNull();
    const dump = await dumpDatabase(world.mongo);
    expect(dump).not.toContain(ciphertext);
    expect(dump).not.toContain(PAN);
  });

  it('keeps a token used at month 14 until month 29, then purges it', async () => {
    const { handle, view, createdAt } = await saveCard();
    await skipTo(addCalendarMonths(new Date(createdAt), 14).getTime());
    const use = await handle.executeUpdate(useSavedCardUpdate, { args: [{ orderId: 'order-m14' }] });
    expect(use.uses).toBe(1);
    const usedAt = Date.parse(use.lastUsedAt);
    expect(use.purgeDueAt).toBe(addCalendarMonths(new Date(usedAt), 15).toISOString());

    await skipTo(addCalendarMonths(new Date(createdAt), 15).getTime() + DAY);
    expect(await state(view)).toBe('active');
    await skipTo(Date.parse(use.purgeDueAt) - MINUTE);
    expect(await state(view)).toBe('active');
    await skipTo(Date.parse(use.purgeDueAt) + MINUTE);
    await endsPurged(handle, view);
    const purgedAt = Date.parse((await view()).view.purgedAt!);
    const month29 = addCalendarMonths(new Date(createdAt), 29).getTime();
    expect(purgedAt).toBeGreaterThanOrEqual(month29);
    expect(purgedAt).toBeLessThan(month29 + DAY);
  });

  it('still purges a cancelled token 15 months after its last use; a cancelled token never pays', async () => {
    const { paymentMethodToken, handle, view, createdAt, workflowId } = await saveCard();
    world.receiver.failFirst = 1;
    await skipTo(addCalendarMonths(new Date(createdAt), 3).getTime());
    const use = await handle.executeUpdate(useSavedCardUpdate, { args: [{ orderId: 'order-m3' }] });
    await skipTo(addCalendarMonths(new Date(createdAt), 5).getTime());
    const cancellation = await handle.executeUpdate(cancelSavedCardUpdate, { args: [{ by: 'BUYER' }] });
    expect(cancellation).toMatchObject({ state: 'cancelled', cancelledBy: 'BUYER', cancelledNow: true });
    const again = await handle.executeUpdate(cancelSavedCardUpdate, { args: [{ by: 'MERCHANT' }] });
    expect(again).toMatchObject({
      cancelledBy: 'BUYER',
      cancelledAt: cancellation.cancelledAt,
      cancelledNow: false,
    });
    const refused = await handle
      .executeUpdate(useSavedCardUpdate, { args: [{ orderId: 'order-after-cancel' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'TokenNotUsable' });
    expect((await view()).view.uses).toBe(1);

    await skipTo(Date.parse(use.purgeDueAt) - MINUTE);
    expect(await state(view)).toBe('cancelled');
    await skipTo(Date.parse(use.purgeDueAt) + MINUTE);
    await endsPurged(handle, view);
    expect((await view()).view).toMatchObject({ cancelledBy: 'BUYER', uses: 1 });
    expect((await world.deps.savedCards.find(paymentMethodToken))!.hasCardData).toBe(false);
    const trail = await world.deps.projections.trailOf(workflowId);
    expect(trail.map((t) => `${t.from}>${t.event}>${t.to}`)).toEqual([
      '>STARTED>active',
      'active>USED>active',
      'active>CANCELLED>cancelled',
      'cancelled>PURGED>purged',
    ]);

    // Both notifications reached the shop, signed, the first after a failed attempt.
    const notifications = (
      await world.receiver.waitFor(
        (d) => d.filter((n) => n.body.paymentMethodToken === paymentMethodToken).length >= 2,
      )
    ).filter((n) => n.body.paymentMethodToken === paymentMethodToken);
    expect(notifications.map((n) => [n.body.event, n.body.status])).toEqual([
      ['TOKEN_CREATED', 'ACTIVE'],
      ['TOKEN_CANCELLED', 'CANCELLED'],
    ]);
    expect(notifications.every((n) => n.signatureValid)).toBe(true);
    expect(notifications[1].body).toMatchObject({
      cancelledBy: 'BUYER',
      token: { maskedPan: '497010******4455' },
    });
    expect(JSON.stringify(notifications.map((n) => n.body))).not.toContain(PAN);
    expect(world.receiver.received.some((r) => r.status === 500)).toBe(true);
  });

  it('expires with its card: no longer pays, and is still purged 15 months after its last use', async () => {
    const today = new Date(await now());
    const expiry = {
      month: ((today.getUTCMonth() + 1) % 12) + 1,
      year: today.getUTCFullYear() + (today.getUTCMonth() === 11 ? 1 : 0),
    };
    const { handle, view, createdAt } = await saveCard({ expiry });
    const expiresAt = cardExpiredAt(expiry.month, expiry.year).getTime();
    await skipTo(expiresAt - MINUTE);
    expect(await state(view)).toBe('active');
    await skipTo(expiresAt + MINUTE);
    expect(await state(view)).toBe('expired');
    await expect(
      handle.executeUpdate(useSavedCardUpdate, { args: [{ orderId: 'order-expired' }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await skipTo(addCalendarMonths(new Date(createdAt), 15).getTime() + MINUTE);
    await endsPurged(handle, view);
  });

  it('continues as new when busy, keeping its clock, its uses and the transition numbering', async () => {
    const { workflowId, handle, view, createdAt } = await saveCard({ maxTransitionsPerRun: 3 });
    let lastUse = { lastUsedAt: '', purgeDueAt: '', uses: 0 };
    for (let month = 1; month <= 7; month++) {
      await skipTo(addCalendarMonths(new Date(createdAt), month).getTime());
      lastUse = await world.env.client.workflow
        .getHandle(workflowId)
        .executeUpdate(useSavedCardUpdate, { args: [{ orderId: `order-${month}` }] });
    }
    expect(lastUse.uses).toBe(7);
    expect((await world.env.client.workflow.getHandle(workflowId).describe()).runId).not.toBe(
      handle.firstExecutionRunId,
    );
    expect((await view()).view).toMatchObject({ uses: 7, lastUsedAt: lastUse.lastUsedAt });
    const trail = await world.deps.projections.trailOf(workflowId);
    expect(trail.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    await skipTo(Date.parse(lastUse.purgeDueAt) - MINUTE);
    expect(await state(view)).toBe('active');
    await skipTo(Date.parse(lastUse.purgeDueAt) + MINUTE);
    await endsPurged(world.env.client.workflow.getHandle(workflowId), view);
    expect(Date.parse((await view()).view.purgedAt!)).toBeGreaterThanOrEqual(Date.parse(lastUse.purgeDueAt));
  });
});
