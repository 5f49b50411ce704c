import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

/**
 * Runs one of the project's scripts (`scripts/<script>`) as a user would through npm, asynchronously so
 * the stack's processes keep logging meanwhile. Its own data dir unless `env` names one.
 */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', script), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TLO_DATA_DIR: mkdtempSync(join(tmpdir(), 'tlo-script-')),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = { stdout: '', stderr: '', output: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString();
      run.output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      run.stderr += chunk.toString();
      run.output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, ...run }));
  });
}

/** `npm run audit:<command> -- <args>` (node scripts/audit.js). */
export const runAudit = (args: string[], env?: NodeJS.ProcessEnv) => runScript('audit.js', args, env);
