import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_ROTATION_POLICY, smartTapKeysWorkflowId } from '@tlo/domain';
import type { SmartTapKeysContext } from '@tlo/machines';
import { revokeKeyUpdate, rotateNowUpdate, rotationPolicyUpdate, type smartTapKeys } from '@tlo/workflows';
import { eventually } from '../support/eventually';
import { type WorkflowWorld, startWorkflowWorld } from '../support/workflow-world';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('Smart Tap key rotation (time-skipping test server, real activities on FerretDB)', () => {
  let world: WorkflowWorld;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  const started: string[] = [];

  beforeAll(async () => {
    world = await startWorkflowWorld('wf_smart_tap');
    taskQueue = `smart-tap-${randomUUID()}`;
    worker = await world.createWorker(taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    await world?.terminate(started);
    worker?.shutdown();
    await running;
    await world?.stop();
  });

  const startKeySet = async (options: { maxTransitionsPerRun?: number } = {}) => {
    const issuerId = `issuer-${randomUUID().slice(0, 8)}`;
    const workflowId = smartTapKeysWorkflowId(issuerId);
    started.push(workflowId);
    const handle = await world.env.client.workflow.start<typeof smartTapKeys>('smartTapKeys', {
      workflowId,
      taskQueue,
      args: [{ issuerId, policy: DEFAULT_ROTATION_POLICY, ...options }],
    });
    const view = async () => (await world.deps.projections.find<SmartTapKeysContext>(workflowId))!;
    await eventually(async () =>
      expect((await world.deps.projections.find(workflowId))?.state).toBe('steady'),
    );
    return { issuerId, workflowId, handle, view };
  };
  const statuses = (context: SmartTapKeysContext) => context.keys.map((k) => `v${k.version} ${k.status}`);

  it('creates the first key, rotates after the real 90-day period, and retires the old key after 7 days of grace', async () => {
    const { issuerId, view } = await startKeySet();
    const first = await view();
    expect(statuses(first.view)).toEqual(['v1 ACTIVE']);
    const publicKeys = await world.deps.smartTap.publicKeys(issuerId);
    expect(publicKeys.get(1)).toContain('BEGIN PUBLIC KEY');
    expect(await world.deps.smartTap.privateKeyPem(issuerId, 1)).toContain('BEGIN PRIVATE KEY');

    await world.env.sleep(90 * DAY + MINUTE);
    const rotated = await view();
    expect(rotated.state).toBe('grace');
    expect(statuses(rotated.view)).toEqual(['v1 RETIRING', 'v2 ACTIVE']);
    const period =
      Date.parse(rotated.view.keys[1].activatedAt) - Date.parse(rotated.view.keys[0].activatedAt);
    expect(period).toBeGreaterThanOrEqual(90 * DAY);
    expect(period).toBeLessThan(90 * DAY + MINUTE);
    expect(Date.parse(rotated.view.keys[0].retiresAt!) - Date.parse(rotated.view.keys[1].activatedAt)).toBe(
      7 * DAY,
    );

    await world.env.sleep(7 * DAY);
    const retired = await view();
    expect(retired.state).toBe('steady');
    expect(statuses(retired.view)).toEqual(['v1 RETIRED', 'v2 ACTIVE']);
  });

  it('revokes during grace at once, replaces a revoked active key, and refuses an unknown version', async () => {
    const { handle, view } = await startKeySet();
    const rotatedNow = await handle.executeUpdate(rotateNowUpdate);
    expect(rotatedNow.state).toBe('grace');
    expect(rotatedNow.keys.map((k) => `v${k.version} ${k.status}`)).toEqual(['v1 RETIRING', 'v2 ACTIVE']);
    const afterOld = await handle.executeUpdate(revokeKeyUpdate, { args: [{ version: 1 }] });
    expect(afterOld.state).toBe('steady');
    const afterActive = await handle.executeUpdate(revokeKeyUpdate, { args: [{ version: 2 }] });
    expect(afterActive.state).toBe('steady');
    expect(afterActive.keys.map((k) => `v${k.version} ${k.status}`)).toEqual([
      'v1 RETIRED',
      'v2 RETIRED',
      'v3 ACTIVE',
    ]);
    await expect(handle.executeUpdate(revokeKeyUpdate, { args: [{ version: 2 }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    expect((await view()).version).toBeGreaterThanOrEqual(5);
  });

  it('follows a policy change: the new period and grace drive the timers; an invalid policy is refused', async () => {
    const { handle, view } = await startKeySet();
    await handle.executeUpdate(rotationPolicyUpdate, {
      args: [{ periodSeconds: 24 * 3600, graceSeconds: 3600 }],
    });
    await expect(
      handle.executeUpdate(rotationPolicyUpdate, { args: [{ periodSeconds: 60, graceSeconds: 60 }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await world.env.sleep(DAY + MINUTE);
    expect(statuses((await view()).view)).toEqual(['v1 RETIRING', 'v2 ACTIVE']);
    await world.env.sleep(3600_000);
    expect(statuses((await view()).view)).toEqual(['v1 RETIRED', 'v2 ACTIVE']);
  });

  it("refuses with the chart's reason as the contract's failure, naming the field", async () => {
    const { handle } = await startKeySet();
    const refusal = async (update: Promise<unknown>) => {
      const error = await update.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
      return { type: cause.type, details: cause.details?.[0] };
    };
    expect(await refusal(handle.executeUpdate(revokeKeyUpdate, { args: [{ version: 7 }] }))).toEqual({
      type: 'UnknownKeyVersion',
      details: { field: 'version' },
    });
    // Two revokes of one version while a rotation holds the key set: both pass the validator, one
    // retires the version, the other is refused by the handler the same way.
    const outcomes = await Promise.allSettled([
      handle.executeUpdate(rotateNowUpdate),
      handle.executeUpdate(revokeKeyUpdate, { args: [{ version: 1 }] }),
      handle.executeUpdate(revokeKeyUpdate, { args: [{ version: 1 }] }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected')!;
    expect(await refusal(Promise.reject((refused as PromiseRejectedResult).reason))).toEqual({
      type: 'UnknownKeyVersion',
      details: { field: 'version' },
    });
    for (const policy of [
      { periodSeconds: 3600, graceSeconds: 3600 },
      { periodSeconds: 3600, graceSeconds: -1 },
    ]) {
      expect(await refusal(handle.executeUpdate(rotationPolicyUpdate, { args: [policy] }))).toEqual({
        type: 'InvalidPolicy',
        details: { field: 'graceSeconds' },
      });
    }
    const accepted = await handle.executeUpdate(rotationPolicyUpdate, {
      args: [{ periodSeconds: 3600, graceSeconds: 0 }],
    });
    expect(accepted.keys.find((k) => k.version === 1)?.status).toBe('RETIRED');
    expect(accepted.keys.filter((k) => k.status === 'ACTIVE')).toHaveLength(1);
  });

  it('continues as new to bound its history, keeping the key set and the numbering', async () => {
    const { workflowId, handle, view } = await startKeySet({ maxTransitionsPerRun: 3 });
    for (let i = 0; i < 4; i++) await handle.executeUpdate(rotateNowUpdate);
    await eventually(async () =>
      expect((await world.env.client.workflow.getHandle(workflowId).describe()).runId).not.toBe(
        handle.firstExecutionRunId,
      ),
    );
    const latest = await world.env.client.workflow.getHandle(workflowId).executeUpdate(rotateNowUpdate);
    expect(latest.keys.map((k) => k.version)).toEqual([1, 2, 3, 4, 5, 6]);
    const transitions = await world.deps.projections.transitionsOf(workflowId);
    expect(transitions.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await view()).view.keys).toHaveLength(6);
  });
});
