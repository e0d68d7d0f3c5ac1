// The project's own Avro schemas (schemas/*.avsc), one per kind of topic
// value: what a consumer reads with (the reader schema of Avro schema
// resolution, whatever version a producer wrote with), and what a service
// tells an operator to register when the registry lacks a subject.
// deploy/topics.ts says which file each declared topic carries.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMA_FILE = Object.freeze({
  incident: 'incident-reported.avsc',
  justiceEvent: 'justice-event.avsc',
  intelligence: 'pre-arrival-intelligence.avsc',
  graphEvent: 'graph-event-recorded.avsc',
  topFive: 'top-five-changed.avsc',
  alert: 'borough-alert.avsc',
  deadLetter: 'dead-letter.avsc',
  audit: 'audit-entry.avsc',
} as const);

export type SchemaFile = (typeof SCHEMA_FILE)[keyof typeof SCHEMA_FILE];

const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
const parsed = new Map<string, object>();

/** The parsed schema of schemas/<file>, read once per process. */
export function contractSchema(file: SchemaFile): object {
  let schema = parsed.get(file);
  if (!schema) {
    schema = Object.freeze(JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8')) as object);
    parsed.set(file, schema);
  }
  return schema;
}
