import { describe, expect, it } from 'vitest';
import { contractSchema, SCHEMA_FILE } from '../shared/contracts/contract-schemas.ts';
import { readSchema } from './provision.ts';
import { TOPICS } from './topics.ts';

describe('the declared topics and the readers services decode with', () => {
  it('name only schema files the services know, and the services read the very files provisioning registers', () => {
    const known = new Set<string>(Object.values(SCHEMA_FILE));
    for (const topic of TOPICS) {
      if (topic.valueSchema === null) continue;
      expect(known.has(topic.valueSchema), topic.name).toBe(true);
      expect(contractSchema(topic.valueSchema as (typeof SCHEMA_FILE)[keyof typeof SCHEMA_FILE])).toEqual(readSchema(topic.valueSchema));
    }
  });
});
