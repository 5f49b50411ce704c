import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LIFECYCLES } from '@tlo/domain';

const ROOT = resolve(__dirname, '..', '..');

/** What the check needs of a registry entry (see libs/domain/src/lifecycles.ts). */
interface RegisteredLifecycle {
  name: string;
  workflowType: string;
  slice: string;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const isFile = (path: string) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile();
const isFolder = (path: string) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory();
const testsIn = (folder: string) =>
  readdirSync(join(ROOT, folder))
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => ({ file, source: read(join(folder, file)) }));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether `source` exports a function (or a const) named `name`. */
const exportsFunction = (source: string, name: string) =>
  new RegExp(`export (async function|function|const) ${escape(name)}\\b`).test(source);

/**
 * Every file a registered lifecycle must have (docs/adding-a-lifecycle.md), as one line per piece
 * that is missing: none for a complete lifecycle.
 */
function missingPieces(registry: Record<string, RegisteredLifecycle>): string[] {
  const chartTests = testsIn('test/unit/machines');
  const workflowTests = testsIn('test/workflow');
  const histories = readdirSync(join(ROOT, 'test/fixtures/histories'));
  const workflowIndex = read('workflows/index.ts');
  const clientEntry = read('workflows/client.ts');
  const negativeControl = read('test/fixtures/nondeterministic/workflows.ts');
  const missing: string[] = [];
  for (const { name, workflowType, slice } of Object.values(registry)) {
    const lack = (piece: string) => missing.push(`${name}: ${piece}`);

    const chart = `libs/machines/src/${name}.machine.ts`;
    const machines = isFile(chart)
      ? [...read(chart).matchAll(/export const (\w+Machine)\b/g)].map((match) => match[1])
      : [];
    if (machines.length === 0) lack(`chart ${chart} exporting a machine`);
    if (
      !machines.some((machine) =>
        chartTests.some(({ source }) => new RegExp(`\\b${machine}\\b`).test(source)),
      )
    )
      lack(`chart test in test/unit/machines/ using ${machines[0] ?? `the ${name} machine`}`);

    const workflow = `workflows/${name}.workflow.ts`;
    if (!isFile(workflow) || !exportsFunction(read(workflow), workflowType))
      lack(`workflow ${workflow} exporting ${workflowType}`);
    const registered = new RegExp(
      `export \\{[^}]*\\b${escape(workflowType)}\\b[^}]*\\} from '\\./${escape(name)}\\.workflow'`,
    );
    if (!registered.test(workflowIndex)) lack(`${workflowType} exported from workflows/index.ts`);

    const definitions = `workflows/${name}.definitions.ts`;
    if (!isFile(definitions) || !clientEntry.includes(`export * from './${name}.definitions'`))
      lack(`definitions ${definitions} re-exported from workflows/client.ts (@tlo/workflows)`);
    if (!exportsFunction(negativeControl, workflowType))
      lack(`negative control ${workflowType} in test/fixtures/nondeterministic/workflows.ts`);

    // A workflow test starts the workflow type itself, or drives the slice's service that starts it.
    const startsIt = workflowTests.some(
      ({ source }) => source.includes(`'${workflowType}'`) || source.includes(`apps/api/src/${slice}/`),
    );
    if (!startsIt) lack(`workflow test in test/workflow/ starting ${workflowType}`);

    if (!histories.some((file) => file.startsWith(`${name}-`) && file.endsWith('.json')))
      lack(`committed history test/fixtures/histories/${name}-*.json (npm run record:histories)`);

    if (!isFolder(`apps/api/src/${slice}`)) lack(`API slice apps/api/src/${slice}/`);
    if (!isFolder(`activities/${slice}`)) lack(`activities activities/${slice}/`);
  }
  return missing;
}

describe('lifecycle registry (LIFECYCLES)', () => {
  it('every registered lifecycle has its chart, definitions, workflow, slices, tests and history', () => {
    expect(missingPieces(LIFECYCLES)).toEqual([]);
  });

  it('names each missing piece of a lifecycle registered without its files', () => {
    const walletToken = { name: 'wallet-token', workflowType: 'walletToken', slice: 'wallet-token' };
    expect(missingPieces({ ...LIFECYCLES, walletToken })).toEqual([
      'wallet-token: chart libs/machines/src/wallet-token.machine.ts exporting a machine',
      'wallet-token: chart test in test/unit/machines/ using the wallet-token machine',
      'wallet-token: workflow workflows/wallet-token.workflow.ts exporting walletToken',
      'wallet-token: walletToken exported from workflows/index.ts',
      'wallet-token: definitions workflows/wallet-token.definitions.ts re-exported from workflows/client.ts (@tlo/workflows)',
      'wallet-token: negative control walletToken in test/fixtures/nondeterministic/workflows.ts',
      'wallet-token: workflow test in test/workflow/ starting walletToken',
      'wallet-token: committed history test/fixtures/histories/wallet-token-*.json (npm run record:histories)',
      'wallet-token: API slice apps/api/src/wallet-token/',
      'wallet-token: activities activities/wallet-token/',
    ]);
  });

  it('checks the workflow type itself, not only the files named after the lifecycle', () => {
    const retyped = { name: 'saved-card', workflowType: 'savedCardV2', slice: 'saved-card' };
    expect(missingPieces({ retyped })).toEqual([
      'saved-card: workflow workflows/saved-card.workflow.ts exporting savedCardV2',
      'saved-card: savedCardV2 exported from workflows/index.ts',
      'saved-card: negative control savedCardV2 in test/fixtures/nondeterministic/workflows.ts',
      'saved-card: workflow test in test/workflow/ starting savedCardV2',
    ]);
  });
});
