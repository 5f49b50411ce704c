import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where global setup tells the suites about the shared servers it started. */
export const TEST_STATE_DIR = join(__dirname, '..', '..', '.data', 'test');
export const SERVERS_FILE = join(TEST_STATE_DIR, 'servers.json');

export interface TestServers {
  temporalAddress: string;
  mongoUri: string;
  workflowBundlePath: string;
  temporalTestServerPath: string;
}

export function testServers(): TestServers {
  return JSON.parse(readFileSync(SERVERS_FILE, 'utf8')) as TestServers;
}
