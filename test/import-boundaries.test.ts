// The rooms of the code: no service imports another service, nothing in
// shared/ imports a service, and neither reaches into deploy/, scripts/,
// bench/ or test/ at run time (a service's own tests may use test/helpers).
// A service that needs another's code is a sign the code belongs in shared/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

type Source = { path: string; text: string };

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Where a repository-relative file sits: its top folder, and for services/ the service. */
function room(path: string): { top: string; service?: string } {
  const [top, second] = path.split('/');
  return top === 'services' ? { top, service: second } : { top: top! };
}

/** Every import of `sources` that crosses a boundary, as "from -> to: why". */
export function boundaryViolations(sources: readonly Source[]): string[] {
  const found: string[] = [];
  for (const { path, text } of sources) {
    const from = room(path);
    const isTest = path.endsWith('.test.ts');
    for (const [, specifier] of text.matchAll(SPECIFIER)) {
      const target = normalize(join(dirname(path), specifier!)).split('\\').join('/');
      const to = room(target);
      if (from.top === 'services' && to.top === 'services' && to.service !== from.service) found.push(`${path} -> ${target}: a service imports another service`);
      if (from.top === 'shared' && to.top === 'services') found.push(`${path} -> ${target}: shared/ imports a service`);
      const offLimits = isTest ? ['deploy', 'scripts', 'bench'] : ['deploy', 'scripts', 'bench', 'test'];
      if ((from.top === 'services' || from.top === 'shared') && offLimits.includes(to.top)) found.push(`${path} -> ${target}: run-time code reaches into ${to.top}/`);
    }
  }
  return found;
}

function sourcesUnder(folder: string): Source[] {
  const out: Source[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const absolute = join(entry.parentPath, entry.name);
    out.push({ path: relative(ROOT, absolute).split('\\').join('/'), text: readFileSync(absolute, 'utf8') });
  }
  return out;
}

describe('import boundaries', () => {
  it('no service imports another, shared/ imports no service, and run-time code stays out of deploy/, scripts/, bench/ and test/', () => {
    const sources = [...sourcesUnder('services'), ...sourcesUnder('shared')];
    expect(sources.length).toBeGreaterThan(100);
    expect(boundaryViolations(sources)).toEqual([]);
  });

  it('finds each kind of crossing, in static and dynamic imports', () => {
    const violations = boundaryViolations([
      { path: 'services/cli/a.ts', text: "import { x } from '../resolver/b.ts';\nimport { y } from './c.ts';" },
      { path: 'shared/graph/a.ts', text: "const m = await import('../../services/scorer/b.ts');" },
      { path: 'services/scorer/a.ts', text: "import { TOPICS } from '../../deploy/topics.ts';" },
      { path: 'shared/er/a.ts', text: "import '../../test/helpers/x.ts';" },
      { path: 'shared/er/a.test.ts', text: "import { sample } from '../../test/helpers/x.ts';\nimport { z } from '../canon/z.ts';" },
    ]);
    expect(violations).toEqual([
      'services/cli/a.ts -> services/resolver/b.ts: a service imports another service',
      'shared/graph/a.ts -> services/scorer/b.ts: shared/ imports a service',
      'services/scorer/a.ts -> deploy/topics.ts: run-time code reaches into deploy/',
      'shared/er/a.ts -> test/helpers/x.ts: run-time code reaches into test/',
    ]);
  });
});
