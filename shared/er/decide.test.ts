import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import type { MatchEvidence, MatchScore } from './identity-store.ts';
import { testModel } from './test-support/records.ts';

const score = (matchWeight: number, evidence: MatchEvidence[] = []): MatchScore => ({ matchWeight, probability: 1 / (1 + 2 ** -matchWeight), evidence });

describe('decide', () => {
  const model = testModel(); // link ≥ 6, possible ≥ 2, strong ≥ 5 bits

  it('founds a new entity when nothing reaches the possible band', () => {
    expect(decide([{ entityId: 'A', score: score(1) }], model)).toEqual({ decision: { outcome: 'new' }, possible: [] });
  });

  it('links at or above the threshold', () => {
    const result = decide([{ entityId: 'A', score: score(6) }, { entityId: 'B', score: score(-3) }], model);
    expect(result.decision).toEqual({ outcome: 'link', entityId: 'A', score: score(6) });
    expect(result.possible).toEqual([]);
  });

  it('reports an uncorroborated possible match without linking it', () => {
    const result = decide([{ entityId: 'A', score: score(4, [{ field: 'given_name', level: 'exact', weight: 6 }, { field: 'family_name', level: 'exact', weight: 6 }]) }], model);
    expect(result.decision).toEqual({ outcome: 'new' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['A']);
  });

  it('links a possible match corroborated by an exact strong identifier, and says so', () => {
    const result = decide([{ entityId: 'A', score: score(4, [{ field: 'phone', level: 'exact', weight: 9 }]) }], model);
    expect(result.decision).toMatchObject({ outcome: 'link', entityId: 'A', score: { corroboratedBy: ['phone:exact'] } });
  });

  it('takes the name as one agreement, its fields summed: a first name beside a surname that disagrees corroborates nothing', () => {
    const address = { field: 'postcode', level: 'exact', weight: 8 };
    const firstNameOnly = [{ field: 'given_name', level: 'exact', weight: 7 }, { field: 'family_name', level: 'else', weight: -4 }, address];
    expect(decide([{ entityId: 'A', score: score(3, firstNameOnly) }], model).decision).toEqual({ outcome: 'new' });
    const wholeName = [{ field: 'given_name', level: 'exact', weight: 3 }, { field: 'family_name', level: 'jaro_winkler>=0.92', weight: 3 }, address];
    expect(decide([{ entityId: 'A', score: score(3, wholeName) }], model).decision).toMatchObject({
      outcome: 'link',
      score: { corroboratedBy: ['given_name:exact', 'family_name:jaro_winkler>=0.92', 'postcode:exact'] },
    });
  });

  it('links a possible match corroborated by two independent strong agreements', () => {
    const evidence = [
      { field: 'family_name', level: 'exact', weight: 6 },
      { field: 'dob', level: 'exact', weight: 7 },
    ];
    const result = decide([{ entityId: 'A', score: score(3, evidence) }], model);
    expect(result.decision).toMatchObject({ outcome: 'link', score: { corroboratedBy: ['family_name:exact', 'dob:exact'] } });
  });

  it('merges several entities above the threshold into the one with most members, then the smallest id', () => {
    const named = [{ field: 'family_name', level: 'exact', weight: 7 }];
    const result = decide(
      [
        { entityId: 'P3', score: score(20, named), memberCount: 2 },
        { entityId: 'P2', score: score(7, named), memberCount: 5 },
        { entityId: 'P1', score: score(8, named), memberCount: 5 },
      ],
      model,
    );
    expect(result.decision).toMatchObject({ outcome: 'merge', entityIds: ['P1', 'P2', 'P3'] });
    if (result.decision.outcome === 'merge') expect(Object.keys(result.decision.scores).sort()).toEqual(['P1', 'P2', 'P3']);
  });

  it('never joins entities kept apart: the higher score wins, the other is reported', () => {
    const result = decide(
      [
        { entityId: 'A', score: score(9), notWith: ['B'] },
        { entityId: 'B', score: score(12), notWith: ['A'] },
      ],
      model,
    );
    expect(result.decision).toMatchObject({ outcome: 'link', entityId: 'B' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['A']);
  });

  it('does not link two people of one household told apart by their first names', () => {
    const household = [
      { field: 'given_name', level: 'else', weight: -3 },
      { field: 'family_name', level: 'exact', weight: 7 },
      { field: 'street', level: 'house_and_street', weight: 16 },
      { field: 'email', level: 'exact', weight: 12 },
    ];
    const result = decide([{ entityId: 'A', score: score(25, household) }], model);
    expect(result.decision).toEqual({ outcome: 'new' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['A']);
    // The same person after all when the date of birth agrees too.
    const sameDob = decide([{ entityId: 'A', score: score(32, [...household, { field: 'dob', level: 'exact', weight: 9 }]) }], model);
    expect(sameDob.decision).toMatchObject({ outcome: 'link', entityId: 'A' });
  });

  it('merges only entities the record agrees with on the name; a nameless record links to the best one', () => {
    const nameless = [{ field: 'email', level: 'exact', weight: 12 }];
    const result = decide(
      [
        { entityId: 'A', score: score(12, nameless), memberCount: 3 },
        { entityId: 'B', score: score(9, nameless), memberCount: 4 },
      ],
      model,
    );
    expect(result.decision).toMatchObject({ outcome: 'link', entityId: 'A' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['B']);
  });
  it('does not link on what a household shares when the dates of birth or genders conflict and no first name agrees', () => {
    const guarded = testModel({ household: { personal: ['dob:exact', 'identifier:exact'], conflicts: ['dob:else', 'gender:else'] } });
    const shared = [
      { field: 'family_name', level: 'exact', weight: 7 },
      { field: 'street', level: 'house_and_street', weight: 16 },
    ];
    const noFirstName = decide([{ entityId: 'A', score: score(20, [...shared, { field: 'dob', level: 'else', weight: -4 }]) }], guarded);
    expect(noFirstName.decision).toEqual({ outcome: 'new' });
    expect(noFirstName.possible.map((p) => p.entityId)).toEqual(['A']);
    const similarFirstName = decide([{ entityId: 'A', score: score(20, [...shared, { field: 'given_name', level: 'jaro_winkler>=0.85', weight: 3 }, { field: 'gender', level: 'else', weight: -2 }]) }], guarded);
    expect(similarFirstName.decision).toEqual({ outcome: 'new' });
    const sameFirstName = decide([{ entityId: 'A', score: score(20, [...shared, { field: 'given_name', level: 'exact', weight: 6 }, { field: 'dob', level: 'else', weight: -4 }]) }], guarded);
    expect(sameFirstName.decision).toMatchObject({ outcome: 'link', entityId: 'A' });
    const identifier = decide([{ entityId: 'A', score: score(30, [...shared, { field: 'dob', level: 'else', weight: -4 }, { field: 'identifier', level: 'exact', weight: 19 }]) }], guarded);
    expect(identifier.decision).toMatchObject({ outcome: 'link', entityId: 'A' });
  });

  it('links her suspect of before, at her address, when only his date of birth conflicts (a guess); first names that disagree still stop it', () => {
    const guarded = testModel({ household: { personal: ['dob:exact', 'identifier:exact'], conflicts: ['dob:else', 'gender:else'], apart: ['dob:far_apart'] } });
    const shared = [
      { field: 'family_name', level: 'exact', weight: 7 },
      { field: 'street', level: 'house_and_street', weight: 16 },
      { field: 'dob', level: 'else', weight: -2.6 },
    ];
    const herSuspect = { field: 'associate', level: 'same_role', weight: 6.6 };
    expect(decide([{ entityId: 'A', score: score(27, [...shared, herSuspect]) }], guarded).decision).toMatchObject({ outcome: 'link', entityId: 'A' });
    // Her child before (co_party) is no such evidence: the guard holds.
    expect(decide([{ entityId: 'A', score: score(19, [...shared, { field: 'associate', level: 'co_party', weight: -1 }]) }], guarded).decision).toEqual({ outcome: 'new' });
    // Her son named as the suspect this time, against his father's entity: the first names disagree.
    const otherName = decide([{ entityId: 'A', score: score(24, [...shared, herSuspect, { field: 'given_name', level: 'else', weight: -3.2 }]) }], guarded);
    expect(otherName.decision).toEqual({ outcome: 'new' });
    const farApart = decide([{ entityId: 'A', score: score(24, [...shared.slice(0, 2), herSuspect, { field: 'dob', level: 'far_apart', weight: -4.3 }]) }], guarded);
    expect(farApart.decision).toEqual({ outcome: 'new' });
  });

  it('does not link a father and son of one name at one address: dates of birth far apart stop it whatever the names', () => {
    const guarded = testModel({ household: { personal: ['dob:exact', 'identifier:exact'], conflicts: ['dob:else'], apart: ['dob:far_apart'] } });
    const fatherAndSon = [
      { field: 'given_name', level: 'exact', weight: 7 },
      { field: 'family_name', level: 'exact', weight: 7 },
      { field: 'street', level: 'house_and_street', weight: 16 },
      { field: 'dob', level: 'far_apart', weight: -4 },
    ];
    const result = decide([{ entityId: 'A', score: score(26, fatherAndSon) }], guarded);
    expect(result.decision).toEqual({ outcome: 'new' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['A']);
    // Something personal that agrees still links: the date of birth was typed wrong.
    const identifier = decide([{ entityId: 'A', score: score(45, [...fatherAndSon, { field: 'identifier', level: 'exact', weight: 19 }]) }], guarded);
    expect(identifier.decision).toMatchObject({ outcome: 'link', entityId: 'A' });
  });

  it('links a record to the associate who played its role, and reports a namesake that also reached the threshold as possible instead of merging him in', () => {
    const names: MatchEvidence[] = [{ field: 'given_name', level: 'exact', weight: 6 }, { field: 'family_name', level: 'exact', weight: 6 }];
    const result = decide(
      [
        { entityId: 'Namesake', score: score(7, names) },
        { entityId: 'Him', score: score(13, [...names, { field: 'associate', level: 'same_role', weight: 6.6 }]) },
      ],
      model,
    );
    expect(result.decision).toMatchObject({ outcome: 'link', entityId: 'Him' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['Namesake']);
    // Without the associate evidence the two would merge, as any two entities the record matches do.
    expect(decide([{ entityId: 'A', score: score(7, names) }, { entityId: 'B', score: score(8, names) }], model).decision.outcome).toBe('merge');
  });

  it('never takes a neighbourhood (the same street at another number) as corroboration, however much it weighs', () => {
    const evidence: MatchEvidence[] = [
      { field: 'family_name', level: 'exact', weight: 6.2 },
      { field: 'street', level: 'street', weight: 8.9 },
    ];
    const counted = testModel({ corroboration: { ...model.corroboration, fields: ['street'], minStrongAgreements: 2, strongWeight: 5 } });
    expect(decide([{ entityId: 'A', score: score(3, evidence) }], counted).decision.outcome).toBe('link');
    const neighbourhood = testModel({ corroboration: { ...counted.corroboration, neighbourhoodLevels: ['street:street'] } });
    const result = decide([{ entityId: 'A', score: score(3, evidence) }], neighbourhood);
    expect(result.decision).toEqual({ outcome: 'new' });
    expect(result.possible.map((p) => p.entityId)).toEqual(['A']);
  });

  it('takes her suspect of before as corroboration beside a name, when the model counts the associate comparison', () => {
    const evidence: MatchEvidence[] = [
      { field: 'given_name', level: 'exact', weight: 7 },
      { field: 'associate', level: 'same_role', weight: 6.6 },
    ];
    const counting = testModel({ corroboration: { ...model.corroboration, fields: ['dob', 'associate'], strongWeight: 6, minStrongAgreements: 2 } });
    expect(decide([{ entityId: 'A', score: score(3, evidence) }], counting).decision).toMatchObject({ outcome: 'link', entityId: 'A', score: { corroboratedBy: ['given_name:exact', 'associate:same_role'] } });
    const notCounting = testModel({ corroboration: { ...counting.corroboration, fields: ['dob'] } });
    expect(decide([{ entityId: 'A', score: score(3, evidence) }], notCounting).decision).toEqual({ outcome: 'new' });
  });
});
