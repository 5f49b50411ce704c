import { randomUUID } from 'node:crypto';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { manualProvisioningWorkflowId } from '@tlo/domain';
import { OtpOutboxRepository } from '@tlo/persistence';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { TEST_PAN, newCard } from '../support/cards';
import { standaloneCode } from '../support/codes';
import { eventually } from '../support/eventually';
import { type Sample, scrape, total } from '../support/prometheus';
import { Stack } from '../support/stack';

/**
 * Metrics and structured logs of the real processes: one manual-provisioning lifecycle and a few
 * refused requests over HTTP, then the worker's Temporal SDK metrics, the API's `/metrics` by route
 * template, the JSON log lines of both, and no card data in any of them.
 */
describe('observability (API and worker processes → Temporal dev server → FerretDB)', () => {
  let stack: Stack;
  let proxy: string;
  let green: string;
  let yellow: string;
  let yellowRun: string;
  let code: string;
  let brokenRun: WorkflowHandleWithFirstExecutionRunId;
  const unknownRequest = randomUUID();
  const unknownPathId = randomUUID();

  beforeAll(async () => {
    stack = await Stack.start();
    const admin = stack.token('cards.write');
    const wallet = stack.token('wallet.events');

    const card = await stack.request<{ proxy: string }>('POST', '/cards', {
      token: admin,
      body: newCard({ email: 'maria@example.com' }),
    });
    expect(card.status).toBe(201);
    proxy = card.body.proxy;
    const decide = async (walletRiskScore: number) => {
      const response = await stack.request<{ requestId: string; decision: string }>(
        'POST',
        '/tokenization-requests',
        { token: wallet, body: { proxy, wallet: 'GooglePay', deviceId: 'pixel-9', walletRiskScore } },
      );
      expect(response.status).toBe(201);
      return response.body;
    };

    // GREEN activates at once: that workflow completes.
    const greenDecision = await decide(5);
    expect(greenDecision.decision).toBe('GREEN');
    green = greenDecision.requestId;
    await stack.client.workflow.getHandle(manualProvisioningWorkflowId(green)).result();

    // YELLOW: a one-time code is sent by the issueOtp activity, which logs it was sent.
    const yellowDecision = await decide(50);
    expect(yellowDecision.decision).toBe('YELLOW');
    yellow = yellowDecision.requestId;
    const otpPath = `/tokenization-requests/${yellow}/otp`;
    expect((await stack.request('POST', otpPath, { token: wallet, body: { methodId: 'sms' } })).status).toBe(
      200,
    );
    yellowRun = (await stack.client.workflow.getHandle(manualProvisioningWorkflowId(yellow)).describe())
      .runId;
    const outbox = new OtpOutboxRepository(
      stack.mongo,
      new FieldCipher(KeyRing.parse(stack.fieldEncryptionKeys)),
    );
    code = /\b(\d{6})\b/.exec((await outbox.latest(yellow))!.text)![1];

    // Refusals, each counted with its final status.
    const refused = [
      await stack.request('POST', otpPath, { token: wallet, body: { methodId: 'pigeon' } }), // validation
      await stack.request('POST', '/tokenization-requests', { token: wallet, rawBody: '{"proxy":' }), // not JSON
      await stack.request('GET', `/tokenization-requests/${yellow}`), // no token
      await stack.request('GET', `/tokenization-requests/${unknownRequest}`, { token: wallet }), // no such request
      await stack.request('GET', `/no-such-route/${unknownPathId}`, { token: wallet }), // no such route
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 400, 401, 404, 404]);

    // A workflow type the worker does not know: its workflow task fails on the worker.
    brokenRun = await stack.client.workflow.start('noSuchWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: `observability-broken-${randomUUID()}`,
    });
  });

  afterAll(async () => {
    const running = [brokenRun?.workflowId, yellow && manualProvisioningWorkflowId(yellow)];
    for (const workflowId of running.filter(Boolean) as string[]) {
      await stack?.client.workflow
        .getHandle(workflowId)
        .terminate('test done')
        .catch(() => undefined);
    }
    await stack?.stop();
  });

  const concreteIds = () => [
    proxy,
    green,
    yellow,
    yellowRun,
    unknownRequest,
    unknownPathId,
    brokenRun.firstExecutionRunId,
  ];
  const expectNoIdInLabels = (samples: Sample[]) => {
    const values = samples.flatMap((s) => Object.values(s.labels));
    for (const id of concreteIds()) expect(values.filter((v) => v.includes(id))).toEqual([]);
  };

  it('the worker serves its Temporal SDK runtime metrics on its own port', async () => {
    const { samples } = await eventually(async () => {
      const scraped = await scrape(stack.workerMetricsUrl);
      expect(
        total(scraped.samples, 'temporal_workflow_task_execution_failed', {
          workflow_type: 'noSuchWorkflow',
        }),
      ).toBeGreaterThanOrEqual(1);
      return scraped;
    }, 20_000);
    const queue = { task_queue: stack.taskQueue, namespace: 'default' };
    const manual = { ...queue, workflow_type: 'manualProvisioning' };

    expect(total(samples, 'temporal_worker_start', queue)).toBe(1);
    expect(total(samples, 'temporal_workflow_completed', manual)).toBe(1); // GREEN; YELLOW still waits
    expect(
      total(samples, 'temporal_workflow_task_execution_failed', { failure_reason: 'WorkflowError' }),
    ).toBe(total(samples, 'temporal_workflow_task_execution_failed'));
    expect(
      total(samples, 'temporal_activity_execution_latency_count', {
        ...manual,
        activity_type: 'decideTokenizationRequest',
      }),
    ).toBe(2);
    expect(
      total(samples, 'temporal_activity_execution_latency_count', { ...manual, activity_type: 'issueOtp' }),
    ).toBe(1);
    expect(total(samples, 'temporal_activity_execution_failed')).toBe(0);
    expect(total(samples, 'temporal_workflow_task_execution_latency_count', manual)).toBeGreaterThanOrEqual(
      3,
    );
    // This worker polls its stack's queue only.
    const queues = new Set(samples.flatMap((s) => (s.labels.task_queue ? [s.labels.task_queue] : [])));
    expect([...queues]).toEqual([stack.taskQueue]);
    expectNoIdInLabels(samples);
  });

  it('the API serves /metrics by route template, method and final status, and process metrics', async () => {
    const { contentType, samples } = await scrape(`${stack.apiUrl}/metrics`);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const requests = (method: string, route: string, status: number) =>
      total(samples, 'http_requests_total', { method, route, status_code: String(status) });

    expect(requests('POST', '/cards', 201)).toBe(1);
    expect(requests('POST', '/tokenization-requests', 201)).toBe(2);
    expect(requests('POST', '/tokenization-requests/:requestId/otp', 200)).toBe(1);
    expect(requests('POST', '/tokenization-requests/:requestId/otp', 400)).toBe(1);
    expect(requests('POST', '/tokenization-requests', 400)).toBe(1); // refused before routing
    expect(requests('GET', '/tokenization-requests/:requestId', 401)).toBe(1);
    expect(requests('GET', '/tokenization-requests/:requestId', 404)).toBe(1);
    expect(requests('GET', 'unmatched', 404)).toBe(1);
    expect(requests('GET', '/health', 200)).toBeGreaterThanOrEqual(1);

    // The latency histogram counts the same requests, under the same labels.
    const otp = { method: 'POST', route: '/tokenization-requests/:requestId/otp', status_code: '200' };
    expect(total(samples, 'http_request_duration_seconds_count', otp)).toBe(1);
    expect(total(samples, 'http_request_duration_seconds_sum', otp)).toBeGreaterThan(0);
    expect(total(samples, 'http_request_duration_seconds_bucket', { ...otp, le: '+Inf' })).toBe(1);

    const routes = new Set(samples.flatMap((s) => (s.labels.route ? [s.labels.route] : [])));
    expect([...routes].sort()).toEqual(
      [
        '/cards',
        '/health',
        '/tokenization-requests',
        '/tokenization-requests/:requestId',
        '/tokenization-requests/:requestId/otp',
        'unmatched',
      ].sort(),
    );
    expectNoIdInLabels(samples);

    for (const processMetric of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(total(samples, processMetric)).toBeGreaterThan(0);
    }
    // The scrape itself is counted once answered, and /metrics is not part of the OpenAPI contract.
    const again = await scrape(`${stack.apiUrl}/metrics`);
    expect(total(again.samples, 'http_requests_total', { route: '/metrics', status_code: '200' })).toBe(1);
    const openapi = await stack.request<{ paths: Record<string, unknown> }>('GET', '/docs/openapi.json');
    expect(Object.keys(openapi.body.paths)).not.toContain('/metrics');
  });

  it('the worker logs JSON lines, activity lines with workflowId, runId, activityType and attempt', async () => {
    const workflowId = manualProvisioningWorkflowId(yellow);
    const lines = await eventually(async () => {
      const logged = stack.jsonLogs('worker');
      expect(logged.some((l) => l.message === 'one-time code sent')).toBe(true);
      return logged;
    });
    expect(lines.find((l) => l.message === 'one-time code sent')).toMatchObject({
      level: 'info',
      service: 'worker',
      sdkComponent: 'activity',
      workflowId,
      runId: yellowRun,
      workflowType: 'manualProvisioning',
      activityType: 'issueOtp',
      attempt: 1,
      requestId: yellow,
      channel: 'SMS',
      target: '*******2342',
    });
    // The SDK's own lines for every activity carry the same ids (the stack logs at debug).
    const activityLines = lines.filter((l) => 'activityType' in l);
    expect(activityLines.filter((l) => l.message === 'Activity completed').length).toBeGreaterThanOrEqual(6);
    for (const line of activityLines) {
      expect(line).toMatchObject({
        workflowId: expect.stringMatching(/^manual-provisioning:/),
        runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        attempt: expect.any(Number),
      });
      expect(line).not.toHaveProperty('workflowRunId');
      expect(line).not.toHaveProperty('taskToken');
    }
    expect(lines.find((l) => l.message === 'worker started')).toMatchObject({
      metrics: stack.workerMetricsUrl,
      taskQueue: stack.taskQueue,
    });

    // A failing workflow task, reported by the SDK's Core, is a JSON line with its run id and cause.
    const failing = await eventually(async () => {
      const line = stack
        .jsonLogs('worker')
        .find((l) => l.message === 'Failing workflow task' && l.runId === brokenRun.firstExecutionRunId);
      expect(line).toBeDefined();
      return line!;
    }, 20_000);
    expect(failing).toMatchObject({
      level: 'warn',
      service: 'worker',
      sdkComponent: 'core',
      failure: expect.stringContaining("Failed to initialize workflow of type 'noSuchWorkflow'"),
    });

    // Nothing the worker prints is anything but one JSON object per line, Core's messages included.
    const printed = stack.printedLines('worker');
    expect(printed.length).toBeGreaterThan(20);
    expect(printed.filter((line) => !/^\{.*\}$/.test(line))).toEqual([]);
  });

  it('the API logs each request once: method, route template, status and duration, nothing else', () => {
    const requests = stack.jsonLogs('api').filter((l) => l.message === 'request');
    const line = (method: string, route: string, status: number) =>
      requests.filter((l) => l.method === method && l.route === route && l.status === status);
    expect(line('POST', '/tokenization-requests/:requestId/otp', 200)).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        service: 'api',
        message: 'request',
        method: 'POST',
        route: '/tokenization-requests/:requestId/otp',
        status: 200,
        durationMs: expect.any(Number),
      },
    ]);
    expect(line('POST', '/tokenization-requests/:requestId/otp', 400)).toHaveLength(1);
    expect(line('POST', '/tokenization-requests', 400)).toHaveLength(1);
    expect(line('GET', '/tokenization-requests/:requestId', 401)).toHaveLength(1);
    expect(line('GET', 'unmatched', 404)).toHaveLength(1);
    expect(line('GET', '/health', 200)[0]).toMatchObject({ level: 'debug' }); // probes are quiet
    for (const request of requests) {
      expect(Object.keys(request).sort()).toEqual(
        ['durationMs', 'level', 'message', 'method', 'route', 'service', 'status', 'time'].sort(),
      );
      for (const id of concreteIds()) expect(JSON.stringify(request)).not.toContain(id);
    }
  });

  it('never lets the PAN, the one-time code or the codec keys into logs or metrics', async () => {
    const texts = [
      stack.allLogs(),
      (await scrape(`${stack.apiUrl}/metrics`)).text,
      (await scrape(stack.workerMetricsUrl)).text,
    ];
    // The logger masks PAN-shaped digits as a last line of defence: not even the masked PAN may appear.
    const maskedPan = `${TEST_PAN.slice(0, 6)}***${TEST_PAN.slice(-4)}`;
    const keyTexts = FIXTURE_PAYLOAD_CODEC_KEYS.split(',').map((entry) => entry.split(':')[1]);
    for (const text of texts) {
      expect(text).not.toContain(TEST_PAN);
      expect(text).not.toContain(maskedPan);
      expect(text).not.toMatch(standaloneCode(code));
      for (const key of keyTexts) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(JSON.stringify([...Buffer.from(key, 'base64')]).slice(1, -1));
      }
    }
    // The worker's options are logged at debug without the data converter that holds those keys.
    const creating = stack.jsonLogs('worker').find((l) => l.message === 'Creating worker');
    expect(creating).toMatchObject({ 'options.taskQueue': stack.taskQueue });
    expect(Object.keys(creating!).filter((k) => k.includes('dataConverter'))).toEqual([]);
  });
});
