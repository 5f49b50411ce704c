import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.[jt]s$/.test(file) && !file.split(/[\\/]/).includes('node_modules'))
    .map((file) => join(folder, file));
}

/** The module specifiers a file imports, re-exports or requires. */
function specifiers(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g);
  return [...found].map((match) => match[1]);
}

/** `file`'s imports that reach into workflows/ by a relative path instead of `@tlo/workflows`. */
function relativeWorkflowImports(file: string, source: string): string[] {
  const workflows = join(ROOT, 'workflows');
  return specifiers(source).filter((specifier) => {
    if (!specifier.startsWith('.')) return false;
    const target = resolve(ROOT, dirname(file), specifier);
    return target === workflows || target.startsWith(workflows + '/');
  });
}

/** `file`'s own constructions of repositories or field ciphers, which belong to the composition root. */
function ownWiring(source: string): string[] {
  return [...source.matchAll(/\bnew\s+(\w+Repository|FieldCipher)\s*\(/g)].map((match) => match[1]);
}

describe('layering', () => {
  it('finds a relative import into workflows/ and a hand-built repository (the checks work)', () => {
    const service = join('apps', 'api', 'src', 'push-provisioning', 'push-provisioning.service.ts');
    expect(
      relativeWorkflowImports(
        service,
        "import type { pushProvisioning } from '../../../../workflows/push-provisioning.workflow';\n" +
          "import { requestPayloadUpdate } from '@tlo/workflows';\n" +
          "import { LIFECYCLES } from '@tlo/domain';\n",
      ),
    ).toEqual(['../../../../workflows/push-provisioning.workflow']);
    expect(ownWiring('const shops = new ShopRepository(mongo, new FieldCipher(ring));')).toEqual([
      'ShopRepository',
      'FieldCipher',
    ]);
  });

  it('apps, tests and scripts reach workflow messages and types through @tlo/workflows only', () => {
    const offending = ['apps', 'test', 'scripts']
      .flatMap(sourceFiles)
      .flatMap((file) =>
        relativeWorkflowImports(file, readFileSync(join(ROOT, file), 'utf8')).map(
          (specifier) => `${file}: ${specifier}`,
        ),
      );
    expect(offending).toEqual([]);
  });

  it('only libs/persistence builds repositories and the field cipher (one composition root)', () => {
    const persistence = join('libs', 'persistence');
    const offending = ['apps', 'activities', 'workflows', 'libs']
      .flatMap(sourceFiles)
      .filter((file) => relative(persistence, file).startsWith('..'))
      .flatMap((file) =>
        ownWiring(readFileSync(join(ROOT, file), 'utf8')).map((built) => `${file}: ${built}`),
      );
    expect(offending).toEqual([]);
  });
});
