import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const WORKFLOWS = join(__dirname, '..', '..', '..', 'workflows');

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [{ file: join(dir, entry.name), text: readFileSync(join(dir, entry.name), 'utf8') }]
        : [],
  );
}

/**
 * The payload codec turns input the key ring did not seal into a marker no converter accepts. An
 * update carrying it is rejected before it is accepted; a signal handler would instead fail the
 * workflow task on it, again and again, so anyone reaching Temporal's port could block a workflow.
 * Messages that change a lifecycle are updates, with validators.
 */
describe('workflow messages', () => {
  it('are updates and queries only: no workflow defines a signal or a default signal handler', () => {
    const offenders = sources(WORKFLOWS)
      .filter(({ text }) => /\bdefineSignal\b|\bsetDefaultSignalHandler\b/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
