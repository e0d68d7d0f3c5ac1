import { describe, expect, it } from 'vitest';
import { checkSubjects, missingSubjectSentence } from './check-subjects.ts';

const registry = (known: string[]) => ({ latest: async (subject: string) => (known.includes(subject) ? { id: 1, version: 1, schema: '{}' } : undefined) });

describe('the start-up check of subjects', () => {
  it('passes when the registry has every subject', async () => {
    await expect(checkSubjects({ registry: registry(['a.v1-value', 'b.v1-value']), contracts: [{ topic: 'a.v1', schema: 'incident-reported.avsc' }, { topic: 'b.v1', schema: 'dead-letter.avsc' }] })).resolves.toBeUndefined();
  });

  it('names each missing subject once, with what to run and which schema file to register', async () => {
    const contracts = [
      { topic: 'a.v1', schema: 'incident-reported.avsc' as const },
      { topic: 'dispatch.intel.v1', schema: 'pre-arrival-intelligence.avsc' as const },
      { topic: 'dispatch.intel.v1', schema: 'pre-arrival-intelligence.avsc' as const },
    ];
    await expect(checkSubjects({ registry: registry(['a.v1-value']), contracts })).rejects.toMatchObject({
      code: 'REGISTRY_SUBJECT_MISSING',
      retriable: false,
      message:
        'The registry has no subject dispatch.intel.v1-value: run `npm run stack:up` (deploy/provision.ts registers the schemas), or register schemas/pre-arrival-intelligence.avsc under dispatch.intel.v1-value.',
    });
  });

  it('says where to look when the schema file is not known', () => {
    expect(missingSubjectSentence('x.v1-value')).toContain('deploy/topics.ts says which');
  });
});
