import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Files the product writes into the checkout must never be committed by accident. */
describe('.gitignore', () => {
  it.each([
    [
      'audit/ (the docs export histories there: they hold encrypted payloads of real lifecycles)',
      'audit/wf-1.json',
    ],
    ['.tools/ (the installed servers)', '.tools/bin/temporal'],
    ['.data/ (the local servers’ data)', '.data/temporal.sqlite'],
  ])('ignores %s', (_why, path) => {
    expect(ignored(path)).toBe(true);
  });

  it('keeps the audit command itself: only the top-level audit/ folder is ignored', () => {
    expect(ignored('apps/audit/src/new-command.ts')).toBe(false);
  });
});

function ignored(path: string): boolean {
  return spawnSync('git', ['check-ignore', '--no-index', '-q', path], { cwd: ROOT }).status === 0;
}
