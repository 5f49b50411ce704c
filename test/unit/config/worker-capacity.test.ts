import { PRODUCTION_ENV } from '../../support/production-env';
import { ConfigError, loadConfig } from '@tlo/config';

describe('worker capacity', () => {
  const capacity = (env: Record<string, string> = {}) =>
    loadConfig({ ...PRODUCTION_ENV, ...env }).worker.capacity;

  it('bounds the sticky cache by default, below the SDK default that grows with the heap', () => {
    expect(capacity()).toEqual({
      maxCachedWorkflows: 1000,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 64,
      maxConcurrentLocalActivityExecutions: 64,
    });
  });

  it('takes each knob from the environment', () => {
    expect(
      capacity({
        WORKER_MAX_CACHED_WORKFLOWS: '250',
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
        WORKER_MAX_CONCURRENT_ACTIVITIES: '20',
        WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '30',
      }),
    ).toEqual({
      maxCachedWorkflows: 250,
      maxConcurrentWorkflowTaskExecutions: 8,
      maxConcurrentActivityTaskExecutions: 20,
      maxConcurrentLocalActivityExecutions: 30,
    });
  });

  it('refuses what the SDK would silently change, naming the variable', () => {
    expect(() => capacity({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(
      new ConfigError('WORKER_MAX_CACHED_WORKFLOWS must be at least 2'),
    );
    expect(() =>
      capacity({ WORKER_MAX_CACHED_WORKFLOWS: '10', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '11' }),
    ).toThrow(/WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must not exceed WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => capacity({ WORKER_MAX_CONCURRENT_ACTIVITIES: '0' })).toThrow(
      /WORKER_MAX_CONCURRENT_ACTIVITIES must be a positive integer/,
    );
  });
});
