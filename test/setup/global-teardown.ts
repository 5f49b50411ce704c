// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');

export default async function globalTeardown(): Promise<void> {
  for (const child of globalThis.__TLO_TEST_CHILDREN__ ?? []) await processes.stopChild(child, 5000);
}
