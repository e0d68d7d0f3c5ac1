// Small inline records and a fixed model for the resolver's unit tests.
// Synthetic people only.

import { featuresOf, type ErFeatures } from '../features.ts';
import type { PersonFields, PersonRecord } from '../identity-store.ts';
import { validateModel, type PersonModel } from '../model.ts';
import { COMPARISON_LEVELS } from '../comparisons.ts';

export const REFERENCE_DATE = new Date('2025-01-01T00:00:00Z');

export const person = (recordId: string, fields: PersonFields): PersonRecord => ({ recordId, source: 'test', fields });

export const features = (fields: PersonFields, recordId = 'r1'): ErFeatures => featuresOf(person(recordId, fields), { referenceDate: REFERENCE_DATE });

/**
 * A model with round numbers, independent of the trained file: exact = m 0.9 / u 0.01
 * (≈ 6.5 bits), other agreeing levels 2 bits, else and far_apart −3 bits.
 */
export function testModel(overrides: Partial<PersonModel> = {}): PersonModel {
  const comparisons: PersonModel['comparisons'] = {};
  const levelsOf = (names: readonly string[]) => {
    const levels: Record<string, { m: number; u: number }> = {};
    for (const level of names) {
      if (level === 'null') continue;
      levels[level] = level === 'exact' ? { m: 0.9, u: 0.01 } : level === 'else' || level === 'far_apart' ? { m: 0.1, u: 0.8 } : { m: 0.4, u: 0.1 };
    }
    return levels;
  };
  for (const [field, names] of Object.entries(COMPARISON_LEVELS)) comparisons[field] = { levels: levelsOf(names), tfLevels: ['exact'] };
  comparisons['attr:*'] = { levels: levelsOf(['null', 'exact', 'jaro_winkler>=0.88', 'else']), tfLevels: ['exact'] };
  return validateModel({
    modelVersion: 'test-model',
    prior: 0.01,
    comparisons,
    termFrequency: { priorRecords: 1000, minFrequency: 1e-6 },
    thresholds: { link: 6, possible: 2 },
    corroboration: { identifiers: ['phone:exact', 'email:exact', 'identifier:exact'], fields: ['dob', 'postcode', 'phone', 'email', 'identifier'], strongWeight: 5, minStrongAgreements: 2 },
    household: { personal: ['dob:exact', 'identifier:exact'] },
    scoring: { maxMembers: 20, maxCandidates: 100 },
    ...overrides,
  });
}
