import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.ts';

const fileWith = (text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'dauntless-csv-')), 'people.csv');
  writeFileSync(path, text);
  return path;
};

async function rows(path: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const row of readCsv(path)) out.push(row);
  return out;
}

describe('readCsv', () => {
  it('reads rows keyed by the trimmed header', async () => {
    expect(await rows(fileWith('\ufeffref, name\nr1, "Ashworth, Rebecca"\n\nr2,Tom\n'))).toEqual([
      { ref: 'r1', name: 'Ashworth, Rebecca' },
      { ref: 'r2', name: 'Tom' },
    ]);
  });

  it('rejects with ENOENT, naming the path, when there is no such file', async () => {
    await expect(rows('/nonexistent/people.csv')).rejects.toMatchObject({ code: 'ENOENT', path: '/nonexistent/people.csv' });
  });

  it("rejects with csv-parse's CsvError when the file is not well-formed CSV", async () => {
    const failure = rows(fileWith('ref,name\nr1,"Reb"ecca\n'));
    await expect(failure).rejects.toBeInstanceOf(CsvError);
    await expect(failure).rejects.toMatchObject({ code: 'CSV_INVALID_CLOSING_QUOTE' });
  });
});
