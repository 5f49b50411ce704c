import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/** The repository's own folders a document may name a path under (the generated ones are not). */
const REPO_FOLDERS = ['apps', 'libs', 'workflows', 'activities', 'scripts', 'test', 'docs', '.ci'];

function markdownFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join(folder, file));
}

/** The targets of `[text](target)` and `![alt](target)` that are files of the repository. */
export function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1].split('#')[0])
    .filter((target) => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Paths under a repository folder named anywhere in the text, code included, up to a placeholder. */
export function mentionedPaths(markdown: string): string[] {
  const folders = REPO_FOLDERS.map((folder) => folder.replace('.', '\\.')).join('|');
  const pattern = new RegExp(`(?<![\\w./~-])((?:${folders})/[\\w./-]*)`, 'g');
  return [...markdown.matchAll(pattern)].map((match) => match[1].replace(/[.,:;]+$/, ''));
}

function brokenReferences(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const links = relativeLinks(text).map((target) => relative(ROOT, resolve(ROOT, dirname(file), target)));
  const missing = [...links, ...mentionedPaths(text)].filter((path) => !existsSync(join(ROOT, path)));
  return [...new Set(missing)].map((path) => `${file}: ${path}`);
}

const DOCUMENTS = ['README.md', ...markdownFiles('docs')];

describe('the README and docs/', () => {
  it('find links and paths, and not URLs, anchors or placeholders (the checks work)', () => {
    const sample =
      'See [kit](lifecycle-kit.md#shape), ![ui](../web-ui.png "UI"), [web](https://temporal.io), ' +
      '[top](#top), `libs/machines/src/<name>.machine.ts`, (`docs/performance.md`), ' +
      '`/tmp/apple/leaf.key`, `.data/secrets.json` and test/unit/docs/links.test.ts.';
    expect(relativeLinks(sample)).toEqual(['lifecycle-kit.md', '../web-ui.png']);
    expect(mentionedPaths(sample)).toEqual([
      'libs/machines/src/',
      'docs/performance.md',
      'test/unit/docs/links.test.ts',
    ]);
    expect(brokenReferences('README.md')).toEqual(expect.any(Array));
  });

  it('point only to files the repository has', () => {
    expect(DOCUMENTS.length).toBeGreaterThan(10);
    expect(DOCUMENTS.flatMap(brokenReferences)).toEqual([]);
  });

  it('never point to documents a reader does not have', () => {
    // Internal design notes and source documents that are not in the repository, by the names
    // they go by (written in parts so this file does not cite them itself).
    const outsideDocuments = new RegExp(`${'DESIGN'} ?\u00a7|${'seed'}s? 00\\d`, 'i');
    const offending = DOCUMENTS.filter((file) =>
      outsideDocuments.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(offending).toEqual([]);
  });
});
