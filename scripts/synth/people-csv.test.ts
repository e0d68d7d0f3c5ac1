import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { mapRow, parseMapping } from '../../shared/er/csv-mapping.ts';
import { createPopulation } from '../../shared/synth/population.ts';
import { COLUMNS, createTypedRecords, csvRow, RESOLVE_MAP } from './people-csv.ts';

const population = createPopulation({ seed: 7, persons: 500 });
const records = createTypedRecords({ population, records: 2000, seed: 7 });

describe('createTypedRecords', () => {
  it('gives the same records for the same seed, and others for another', () => {
    expect(createTypedRecords({ population, records: 2000, seed: 7 })).toEqual(records);
    expect(createTypedRecords({ population, records: 50, seed: 8 }).map((r) => r.personId)).not.toEqual(records.slice(0, 50).map((r) => r.personId));
  });

  it('puts records in time order, within the span before asOf and after each person’s birth', () => {
    const asOf = Date.parse(`${population.asOf}T00:00:00Z`);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const t = Date.parse(r.when);
      if (i > 0) expect(t).toBeGreaterThanOrEqual(Date.parse(records[i - 1]!.when));
      expect(t).toBeLessThan(asOf);
      expect(t).toBeGreaterThanOrEqual(asOf - 730 * 86_400_000);
      expect(r.when.slice(0, 10) >= population.byId.get(r.personId)!.dob).toBe(true);
    }
    expect(new Set(records.map((r) => r.recordId)).size).toBe(records.length);
  });

  it('draws most people once or twice and a few many times', () => {
    const perPerson = new Map<string, number>();
    for (const r of records) perPerson.set(r.personId, (perPerson.get(r.personId) ?? 0) + 1);
    const counts = [...perPerson.values()];
    expect(counts.filter((c) => c <= 2).length / counts.length).toBeGreaterThan(0.5);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(15);
  });
});

describe('csvRow', () => {
  it('writes rows that read back, through the printed --map, to the typed fields', () => {
    const mapping = parseMapping(RESOLVE_MAP);
    const text = [COLUMNS.join(','), ...records.slice(0, 300).map((r) => csvRow(r))].join('\n');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(300);
    rows.forEach((row, i) => {
      const r = records[i]!;
      expect(row.person_id).toBe(r.personId);
      const { fields } = mapRow(row, mapping, { recordId: row.record_id!, source: 'csv:test' });
      expect(fields.given_name).toBe(r.fields.given_name);
      expect(fields.family_name).toBe(r.fields.family_name);
      expect(fields.full_name).toBe(r.fields.full_name);
      expect(fields.dob).toBe(r.fields.dob);
      expect(fields.age).toBe(r.fields.age);
      expect(fields.postcode).toBe(r.fields.postcode);
      expect(fields.addresses).toEqual(r.fields.addresses);
      expect(fields.phones?.[0]).toBe(r.fields.phones?.join(', '));
    });
  });

  it('adds the variations column when asked', () => {
    const row = parse(csvRow(records[0]!, true))[0] as string[];
    expect(row).toHaveLength(COLUMNS.length + 1);
    expect(row[COLUMNS.length]).toBe(records[0]!.variations.join(' '));
  });
});
