// Streams the rows of a CSV file as objects keyed by the header, with
// csv-parse: quoted fields, embedded commas and newlines, a BOM, and
// leading spaces after commas (FEBRL writes ", name"). The only I/O in
// shared/er; scripts use it, the resolver core does not.

import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export type CsvRow = Record<string, string>;

/** Rows of a CSV file in file order. Header names and values are trimmed. */
export async function* readCsv(path: string): AsyncGenerator<CsvRow> {
  const parser = createReadStream(path).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  for await (const row of parser) yield row as CsvRow;
}
