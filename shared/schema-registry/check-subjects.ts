// A service's start-up check of its contracts: the registry must have the
// value subject of every topic it reads and writes. A subject missing is a
// deployment that skipped provisioning, not bad data: found at start it stops
// the service with a sentence saying what to register; found later (an
// encode, avro-codec.ts) it stops the service the same way, rather than
// dead-lettering every call after its graph writes.
import { valueSubject } from '../contracts/topics.ts';
import type { SchemaFile } from '../contracts/contract-schemas.ts';
import { DauntlessError } from '../errors/dauntless-error.ts';
import type { RegistryAdmin } from './registry-admin.ts';

/** A topic a service reads or writes, and the file of schemas/ its values follow. */
export type TopicContract = { topic: string; schema: SchemaFile };

/** What to tell an operator when the registry lacks a subject. */
export function missingSubjectSentence(subject: string, schema?: SchemaFile): string {
  const register = schema ? `register schemas/${schema}` : 'register the topic\'s schema from schemas/ (deploy/topics.ts says which)';
  return `the registry has no subject ${subject}: run \`npm run stack:up\` (deploy/provision.ts registers the schemas), or ${register} under ${subject}`;
}

/** Throws REGISTRY_SUBJECT_MISSING naming every missing subject and its schema file; a registry that does not answer throws REGISTRY_UNAVAILABLE. */
export async function checkSubjects({ registry, contracts }: { registry: Pick<RegistryAdmin, 'latest'>; contracts: readonly TopicContract[] }): Promise<void> {
  const unique = [...new Map(contracts.map((c) => [valueSubject(c.topic), c])).entries()];
  const found = await Promise.all(unique.map(async ([subject]) => (await registry.latest(subject)) !== undefined));
  const missing = unique.filter((_, i) => !found[i]).map(([subject, c]) => missingSubjectSentence(subject, c.schema));
  if (missing.length === 0) return;
  const sentence = missing.join('; ');
  throw new DauntlessError('REGISTRY_SUBJECT_MISSING', sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.');
}
