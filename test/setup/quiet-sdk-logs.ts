import { DefaultLogger, Runtime } from '@temporalio/worker';

// Test workers log at WARN: the SDK's INFO lines would drown the report.
Runtime.install({ logger: new DefaultLogger('WARN') });
