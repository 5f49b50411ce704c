import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type WorkflowBundleWithSourceMap, bundleWorkflowCode } from '@temporalio/worker';

/** Repository root, whether running from source (libs/temporal/src) or from dist/libs/temporal/src. */
export const REPO_ROOT = resolve(
  __dirname,
  __dirname.includes(`${join('dist', 'libs')}`) ? '../../../..' : '../../..',
);
export const WORKFLOWS_ENTRY = join(REPO_ROOT, 'workflows', 'index.ts');

/**
 * The one place the workflow bundle learns the tsconfig path aliases (`@tlo/*`): Temporal bundles
 * workflow code with its own webpack, which does not read tsconfig.
 */
function tsconfigAliases(): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
      alias,
      join(REPO_ROOT, target),
    ]),
  );
}

export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_ENTRY,
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = { ...(config.resolve.alias as Record<string, string>), ...tsconfigAliases() };
      return config;
    },
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
}
