// The repository explains itself: what a file cites is in the repository.
// A reader of the repository has no design notes beside it, so no tracked
// file may send them to one (a notes file by name, or a path that climbs out
// of the repository to a capitalised file); the repository's own docs say it
// instead (docs/DOMAIN.md, docs/CONTRIBUTING.md). A section cited by title
// (`docs/DOMAIN.md "Repeat victim"`) must be a heading of that document, and
// docs/ARCHITECTURE.md "Folders" must list every folder that holds a tracked
// file, and no folder that does not.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

type Source = { path: string; text: string };

// Built from parts, so this file does not match its own rule.
const NOTES = ['DESIGN', 'STYLE', 'STACK-NOTES'].map((name) => `${name}\\.md`).join('|');
const OUTSIDE = new RegExp(`\\b(?:${NOTES})\\b|\\.\\./shared/[A-Z]`, 'g');

/** Every mention of a file outside the repository, as "path:line: text". */
export function outsideReferences(sources: readonly Source[]): string[] {
  const found: string[] = [];
  for (const { path, text } of sources) {
    text.split('\n').forEach((line, i) => {
      for (const [match] of line.matchAll(OUTSIDE)) found.push(`${path}:${i + 1}: ${match}`);
    });
  }
  return found;
}

const DOCS = ['ARCHITECTURE', 'CONTRIBUTING', 'DOMAIN', 'HARM-SCORE'];
const CITED_SECTION = new RegExp(`\\b(${DOCS.join('|')})\\.md\\]?(?:\\([^)]*\\))?,? "([^"\\n]+)"`, 'g');

/** The `## ` and `### ` headings of a Markdown text. */
export function headingsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.trim());
}

/** Every section cited by title that no heading of its document begins with, as "path: DOC.md "title"". */
export function missingSections(sources: readonly Source[], headings: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  for (const { path, text } of sources) {
    for (const [, doc, title] of text.matchAll(CITED_SECTION)) {
      const known = headings.get(doc!) ?? [];
      if (!known.some((h) => h.startsWith(title!))) found.push(`${path}: ${doc}.md "${title}"`);
    }
  }
  return found;
}

/** The folders of `paths` and all their parents, without the root. */
export function foldersOf(paths: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  }
  return folders;
}

/** The folders the "Folders" table of an ARCHITECTURE.md text lists (its first column, `folder/`). */
export function foldersListed(architecture: string): Set<string> {
  const section = architecture.split(/^## /m).find((s) => s.startsWith('Folders\n')) ?? '';
  return new Set([...section.matchAll(/^\| `([^`]+)\/` \|/gm)].map((m) => m[1]!));
}

/** Folders not listed, and listed folders that hold nothing tracked. */
export function folderMismatches(folders: ReadonlySet<string>, listed: ReadonlySet<string>): string[] {
  return [
    ...[...folders].filter((f) => !listed.has(f)).map((f) => `${f}/ holds tracked files but is not in ARCHITECTURE.md "Folders"`),
    ...[...listed].filter((f) => !folders.has(f)).map((f) => `${f}/ is in ARCHITECTURE.md "Folders" but holds no tracked file`),
  ].sort();
}

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out
    .split('\0')
    .filter((path) => path && !path.startsWith('node_modules/') && path !== 'package-lock.json')
    .filter((path) => existsSync(join(ROOT, path)));
}

function textOf(paths: readonly string[]): Source[] {
  return paths
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }))
    .filter(({ text }) => !text.includes('\0'));
}

describe('references in the repository', () => {
  const paths = trackedFiles();
  const sources = textOf(paths);

  it('no tracked file cites a file outside the repository', () => {
    expect(sources.length).toBeGreaterThan(200);
    expect(outsideReferences(sources)).toEqual([]);
  });

  it('finds a notes file by name and a path out of the repository, and leaves the repository’s own docs alone', () => {
    const notes = (name: string) => `${name}.md`;
    const found = outsideReferences([
      { path: 'shared/a.ts', text: `// ok\n// ${notes('DESIGN')}: 12 months\n// see ${notes('STACK-NOTES')}` },
      { path: 'docs/b.md', text: `The living version of \`..${'/'}shared/${notes('DESIGN')}\`; (${notes('STYLE')} §5)` },
      { path: 'README.md', text: `data in ..${'/'}shared/data/er; docs/CONTRIBUTING.md; docs/DOMAIN.md "Repeat victim"; docs/HARM-SCORE.md` },
    ]);
    expect(found).toEqual([
      `shared/a.ts:2: ${notes('DESIGN')}`,
      `shared/a.ts:3: ${notes('STACK-NOTES')}`,
      `docs/b.md:1: ..${'/'}shared/D`,
      `docs/b.md:1: ${notes('STYLE')}`,
    ]);
  });

  it('every section cited by title is a heading of its document', () => {
    const headings = new Map(DOCS.map((doc) => [doc, headingsOf(readFileSync(join(ROOT, 'docs', `${doc}.md`), 'utf8'))]));
    expect(headings.get('DOMAIN')).toContain('Repeat victim');
    expect(missingSections(sources, headings)).toEqual([]);
  });

  it('finds a cited section that is not there', () => {
    // Built from parts, so this file's own text cites nothing.
    const cite = (title: string, link = '') => `DOMAIN.md${link} "${title}"`;
    const headings = new Map([['DOMAIN', ['Repeat victim', 'Orders and events']]]);
    expect(
      missingSections(
        [{ path: 'shared/a.ts', text: `// docs/${cite('Repeat victim')}: 12 months; [${cite('Orders and events', '](DOMAIN.md),')}; ${cite('Repeat offender')}` }],
        headings,
      ),
    ).toEqual([`shared/a.ts: ${cite('Repeat offender')}`]);
  });

  it('docs/ARCHITECTURE.md "Folders" lists every folder that holds a tracked file, and only those', () => {
    const listed = foldersListed(readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8'));
    expect(listed.size).toBeGreaterThan(30);
    expect(folderMismatches(foldersOf(paths), listed)).toEqual([]);
  });

  it('finds a folder left out and a folder listed that is not there', () => {
    const architecture = '## Folders\n\n| folder | holds |\n|---|---|\n| `shared/` | shared |\n| `shared/gone/` | nothing |\n\n## Next\n| `shared/er/` | not in the section |\n';
    const folders = foldersOf(['shared/er/score.ts', 'README.md']);
    expect([...folders].sort()).toEqual(['shared', 'shared/er']);
    expect(folderMismatches(folders, foldersListed(architecture))).toEqual([
      'shared/er/ holds tracked files but is not in ARCHITECTURE.md "Folders"',
      'shared/gone/ is in ARCHITECTURE.md "Folders" but holds no tracked file',
    ]);
  });
});
