// Streams the rows of a CSV file as objects keyed by the header, with
// csv-parse: quoted fields, embedded commas and newlines, a BOM, and
// leading spaces after commas (FEBRL writes ", name"). The only I/O in
// shared/er; scripts use it, the resolver core does not.

import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export type CsvRow = Record<string, string>;

/**
 * Rows of a CSV file in file order. Header names and values are trimmed. A
 * file that cannot be read (ENOENT, EACCES) or parsed (csv-parse's CsvError)
 * rejects the iteration with that error.
 */
export async function* readCsv(path: string): AsyncGenerator<CsvRow> {
  const parser = parse({
    columns: (header: string[]) => header.map((h) => h.trim()),
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
  // pipe() does not pass on the file's errors: unforwarded, a missing file is an unhandled 'error' event.
  createReadStream(path)
    .on('error', (error) => parser.destroy(error))
    .pipe(parser);
  for await (const row of parser) yield row as CsvRow;
}
