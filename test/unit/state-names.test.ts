import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as machines from '@tlo/machines';

interface StateNodeLike {
  states: Record<string, StateNodeLike>;
}

/** Every state name of every chart, nested ones included. */
function stateNames(): Set<string> {
  const names = new Set<string>();
  const walk = (node: StateNodeLike) => {
    for (const [name, child] of Object.entries(node.states)) {
      names.add(name);
      walk(child);
    }
  };
  for (const value of Object.values(machines)) {
    const root = (value as { root?: StateNodeLike } | null)?.root;
    if (root?.states) walk(root);
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the HTTP layer, the workflows, the activities and the charts', () => {
  it('know no chart state by name: state groups are chart tags, read model data or named failures', () => {
    const names = stateNames();
    expect([...names]).toEqual(expect.arrayContaining(['awaitingCode', 'cancelled', 'consumed', 'refused']));
    const root = join(__dirname, '../..');
    const sources = ['apps', 'workflows', 'activities'].flatMap((dir) => sourceFiles(join(root, dir)));
    const found = sources.flatMap((file) => {
      const literals = readFileSync(file, 'utf8').matchAll(/(['"`])([A-Za-z]+)\1/g);
      return [...literals]
        .filter((literal) => names.has(literal[2]))
        .map((literal) => `${relative(root, file)}: ${literal[0]}`);
    });
    expect(found).toEqual([]);
  });
});
