import { describe, expect, it } from 'vitest';
import type { EntityView } from './identity-store.ts';
import { defaultPersonModel, validateModel } from './model.ts';
import { associateLevel, scoreAgainstEntity } from './score.ts';
import { features, testModel } from './test-support/records.ts';

const entity = (id: string, ...members: ReturnType<typeof features>[]): EntityView => ({ entityId: id, members, notWith: [] });

describe('scoreAgainstEntity', () => {
  const model = testModel();
  const record = features({ given_name: 'Moses', family_name: 'Gaster', dob: '1856-09-17' }, 'new');

  it('sums the evidence weights and the prior into the match weight', () => {
    const score = scoreAgainstEntity(record, entity('E1', features({ given_name: 'Moses', family_name: 'Gaster', dob: '1856-09-17' }, 'm1')), {
      model,
      termCounts: {},
      totalRecords: 0,
    });
    const prior = Math.log2(0.01 / 0.99);
    expect(score.matchWeight).toBeCloseTo(prior + score.evidence.reduce((s, e) => s + e.weight, 0), 10);
    expect(score.probability).toBeCloseTo(1 / (1 + 2 ** -score.matchWeight), 10);
    expect(score.evidence.map((e) => [e.field, e.level, e.againstRecordId])).toEqual([
      ['given_name', 'exact', 'm1'],
      ['family_name', 'exact', 'm1'],
      ['dob', 'exact', 'm1'],
    ]);
  });

  it('weighs a shared common surname less than a shared rare one', () => {
    const smith = scoreAgainstEntity(features({ family_name: 'Smith', given_name: 'Ann' }, 'n'), entity('E', features({ family_name: 'Smith', given_name: 'Ann' }, 'm')), {
      model,
      termCounts: { 'family_name:smith': 500, 'given_name:ann': 20 },
      totalRecords: 10_000,
    });
    const gaster = scoreAgainstEntity(features({ family_name: 'Gaster', given_name: 'Ann' }, 'n'), entity('E', features({ family_name: 'Gaster', given_name: 'Ann' }, 'm')), {
      model,
      termCounts: { 'family_name:gaster': 1, 'given_name:ann': 20 },
      totalRecords: 10_000,
    });
    const weightOf = (s: typeof smith) => s.evidence.find((e) => e.field === 'family_name')!.weight;
    expect(weightOf(smith)).toBeLessThan(Math.log2(0.9 / 0.01));
    expect(weightOf(gaster)).toBeGreaterThan(Math.log2(0.9 / 0.01));
    expect(smith.matchWeight).toBeLessThan(gaster.matchWeight);
  });

  it('takes the best level per comparison over the members (union mode)', () => {
    const union = testModel({ scoring: { maxMembers: 20, maxCandidates: 100, mode: 'union' } });
    const score = scoreAgainstEntity(record, entity('E', features({ given_name: 'Moses', family_name: 'Gaster' }, 'm1'), features({ dob: '1856-09-17' }, 'm2')), {
      model: union,
      termCounts: {},
      totalRecords: 0,
    });
    expect(score.evidence.find((e) => e.field === 'dob')).toMatchObject({ level: 'exact', againstRecordId: 'm2' });
    expect(score.evidence.find((e) => e.field === 'family_name')).toMatchObject({ level: 'exact', againstRecordId: 'm1' });
  });

  it('takes the best single member in best_member mode', () => {
    const best = testModel({ scoring: { maxMembers: 20, maxCandidates: 100, mode: 'best_member' } });
    const score = scoreAgainstEntity(record, entity('E', features({ given_name: 'Moses', family_name: 'Gaster' }, 'm1'), features({ dob: '1856-09-17' }, 'm2')), {
      model: best,
      termCounts: {},
      totalRecords: 0,
    });
    expect(new Set(score.evidence.map((e) => e.againstRecordId))).toEqual(new Set(['m1']));
  });

  it('counts a value once per person: the candidate\'s own records do not make it common', () => {
    const member = (id: string) => features({ given_name: 'Ann', family_name: 'Gaster', emails: ['ann@example.com'] }, id);
    const record = features({ given_name: 'Ann', family_name: 'Gaster', emails: ['ann@example.com'] }, 'new');
    const counts = { 'email:ann@example.com': 10, 'family_name:gaster': 10, 'given_name:ann': 10 };
    const ownTen = scoreAgainstEntity(record, entity('E', ...Array.from({ length: 10 }, (_, i) => member(`m${i}`))), { model, termCounts: counts, totalRecords: 10_000 });
    const sharedByTen = scoreAgainstEntity(record, entity('E', member('m0')), { model, termCounts: counts, totalRecords: 10_000 });
    const email = (s: typeof ownTen) => s.evidence.find((e) => e.field === 'email')!.weight;
    expect(email(ownTen)).toBeGreaterThan(email(sharedByTen));
  });
  it('compares a member that repeats an earlier member once: the score and its evidence are as without it', () => {
    const m1 = features({ given_name: 'Moses', family_name: 'Gaster', dob: '1856-09-17' }, 'm1');
    const m2 = features({ given_name: 'Moses', family_name: 'Gastor', postcode: 'EX20 3PZ' }, 'm2');
    const again = features({ given_name: 'Moses', family_name: 'Gaster', dob: '1856-09-17' }, 'm3');
    // No live term counts: the entity's own records then weigh the same however many there are.
    const ctx = { model, termCounts: {}, totalRecords: 0 };
    const withRepeat = scoreAgainstEntity(record, entity('E', m1, m2, again), ctx);
    const without = scoreAgainstEntity(record, entity('E', m1, m2), ctx);
    expect(withRepeat).toEqual(without);
    expect(withRepeat.evidence.some((e) => e.againstRecordId === 'm1')).toBe(true);
  });

  it('weighs dates of birth of another generation strongly against the match (the shipped model)', () => {
    const father = features({ given_name: 'Mahad', family_name: 'Farah', dob: '1961-04-22' }, 'n');
    const score = (dob: string) =>
      scoreAgainstEntity(father, entity('E', features({ given_name: 'Mahad', family_name: 'Farah', dob }, 'm')), { model: defaultPersonModel, termCounts: {}, totalRecords: 0 })
        .evidence.find((e) => e.field === 'dob')!;
    const son = score('1991-09-18');
    expect(son.level).toBe('far_apart');
    expect(son.weight).toBeLessThan(-4);
    expect(son.weight).toBeLessThan(score('1969-08-30').weight); // within_10_years
    expect(score('1961-04-23').weight).toBeGreaterThan(0); // a typo
  });

  it('counts an e-mail made of the name once: beside an agreeing name a near-miss weighs at most maxWeight, alone in full', () => {
    const base = structuredClone(testModel()) as ReturnType<typeof testModel>;
    base.comparisons.email!.nameLike = { levels: ['local_part', 'fuzzy'], maxWeight: 1 };
    const nameLike = validateModel(base);
    const member = entity('E', features({ given_name: 'Tanisha', family_name: 'Reid', emails: ['tanisha.reid2@example.org'] }, 'm'));
    const ctx = { model: nameLike, termCounts: {}, totalRecords: 0 };
    const email = (fields: Parameters<typeof features>[0]) => scoreAgainstEntity(features(fields, 'n'), member, ctx).evidence.find((e) => e.field === 'email')!;
    const named = email({ given_name: 'Tanisha', family_name: 'Reid', emails: ['tanisha.reid@example.net'] });
    expect(named).toMatchObject({ level: 'fuzzy', weight: 1 });
    const nameless = email({ emails: ['tanisha.reid@example.net'] });
    expect(nameless).toMatchObject({ level: 'fuzzy', weight: Math.log2(0.4 / 0.1) });
    // An exact e-mail is not name-like: it weighs in full beside the name.
    expect(email({ given_name: 'Tanisha', family_name: 'Reid', emails: ['tanisha.reid2@example.org'] }).weight).toBeGreaterThan(1);
    // The shipped model: a fuzzy e-mail beside the name stays below a strong agreement.
    const shipped = scoreAgainstEntity(features({ given_name: 'Tanisha', family_name: 'Reid', emails: ['tanisha.reid@example.net'] }, 'n'), member, { model: defaultPersonModel, termCounts: {}, totalRecords: 0 });
    expect(shipped.evidence.find((e) => e.field === 'email')!.weight).toBeLessThan(defaultPersonModel.corroboration.strongWeight);
  });

  it('counts one address once: the strongest of postcode, street and town stands, the others weigh nothing', () => {
    const address = { addresses: ['12 Acacia Road, London'], postcode: 'E1 6AN', town: 'London' };
    const score = scoreAgainstEntity(features({ family_name: 'Gaster', ...address }, 'n'), entity('E', features({ family_name: 'Gaster', ...address }, 'm')), {
      model,
      termCounts: {},
      totalRecords: 0,
    });
    const positive = score.evidence.filter((e) => ['postcode', 'street', 'town'].includes(e.field) && e.weight > 0);
    expect(positive).toHaveLength(1);
    expect(score.evidence.filter((e) => ['postcode', 'street', 'town'].includes(e.field)).length).toBeGreaterThan(1);
    expect(score.matchWeight).toBeCloseTo(Math.log2(0.01 / 0.99) + score.evidence.reduce((s, e) => s + e.weight, 0), 10);
  });

  describe('the associate comparison', () => {
    const withAssociate = { ...model, comparisons: { ...model.comparisons, associate: { levels: { same_role: { m: 0.9, u: 0.01 }, co_party: { m: 0.04, u: 0.08 } } } } };
    const thin = features({ given_name: 'Robert', family_name: 'Sample' }, 'new');
    const him = entity('E', features({ given_name: 'Robert', family_name: 'Sample', dob: '1980-01-02' }, 'm1'));
    const ctx = { model: withAssociate, termCounts: {}, totalRecords: 0 };
    const associateOf = (s: ReturnType<typeof scoreAgainstEntity>) => s.evidence.find((e) => e.field === 'associate');

    it('weighs an associate who played the record\'s role (her suspect then, her suspect now) as same_role, and adds it to the match weight', () => {
      const alone = scoreAgainstEntity(thin, him, ctx);
      const beside = scoreAgainstEntity(thin, him, { ...ctx, associates: new Map([['E', new Set(['SUSPECT'])]]), roles: ['SUSPECT'] });
      expect(associateOf(alone)).toBeUndefined();
      expect(associateOf(beside)).toEqual({ field: 'associate', level: 'same_role', weight: Math.log2(0.9 / 0.01) });
      expect(beside.matchWeight).toBeCloseTo(alone.matchWeight + Math.log2(0.9 / 0.01), 10);
    });

    it('weighs one who played another role (her child, a witness) as co_party, which counts against', () => {
      const score = scoreAgainstEntity(thin, him, { ...ctx, associates: new Map([['E', new Set(['WITNESS'])]]), roles: ['SUSPECT'] });
      expect(associateOf(score)).toEqual({ field: 'associate', level: 'co_party', weight: Math.log2(0.04 / 0.08) });
      expect(associateLevel(new Set(['WITNESS', 'SUSPECT']), ['SUSPECT'])).toBe('same_role');
    });

    it('says nothing of an entity that is no associate, nor when the model has no associate comparison', () => {
      expect(associateOf(scoreAgainstEntity(thin, him, { ...ctx, associates: new Map([['Other', new Set(['SUSPECT'])]]), roles: ['SUSPECT'] }))).toBeUndefined();
      expect(associateOf(scoreAgainstEntity(thin, him, { model, termCounts: {}, totalRecords: 0, associates: new Map([['E', new Set(['SUSPECT'])]]), roles: ['SUSPECT'] }))).toBeUndefined();
    });
  });
});
