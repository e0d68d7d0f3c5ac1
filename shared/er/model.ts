// The person-matching model: one typed settings object (Splink's "settings"
// plus trained parameters), kept as versioned data in
// models/person-model.v<N>.json and made by scripts/er/estimate-model.ts.
// Every number is explained in models/README.md. Pure.

import { COMPARISON_LEVELS } from './comparisons.ts';
import modelV2 from './models/person-model.v2.json' with { type: 'json' };

/** m = P(level | same person), u = P(level | different people). */
export type LevelParams = { m: number; u: number };

export type ComparisonParams = {
  levels: Record<string, LevelParams>;
  /** Levels whose u is replaced by the live term frequency of the shared value (Splink's TF adjustment). */
  tfLevels?: string[];
  /** 0–1: how much of the TF adjustment to apply (Splink's tf_adjustment_weight). Default 1. */
  tfWeight?: number;
  /**
   * Levels that mostly repeat the name: most e-mail addresses are made of
   * it (tanisha.reid@, t.reid@, tanisha.reid2@), so two people of one name
   * often have addresses a character apart. When a name field agrees
   * (positive weight), these levels weigh at most `maxWeight` bits, so the
   * name is not counted twice; without an agreeing name (a record with no
   * name, or another spelling of it) they weigh in full. See score.ts.
   */
  nameLike?: { levels: string[]; maxWeight: number };
};

export type PersonModel = {
  modelVersion: string;
  /** What it was trained on; for humans. */
  trainedOn?: string;
  /**
   * λ: prior probability that a record and an entity it shares a block key
   * with are the same person. Its log2 odds starts every match weight.
   */
  prior: number;
  /**
   * When set, the prior is taken from the live store once it holds
   * `minRecords` records: λ = (share of records that joined an existing
   * person) / (people seen), i.e. the chance a record is one given person
   * already on file. It falls as the population grows, as coincidences get
   * likelier. Clamped to [min, max]. Without it, `prior` always.
   */
  livePrior?: { minRecords: number; min: number; max: number };
  comparisons: Record<string, ComparisonParams>;
  termFrequency: {
    /**
     * Pseudo-records of smoothing: the term frequency used is
     * (count + priorRecords·u) / (total + priorRecords), so early in a stream,
     * when counts mean little, u stands; as records arrive the live counts take over.
     */
    priorRecords: number;
    /** Floor on the term frequency used (a value never seen before is not infinitely rare). */
    minFrequency: number;
  };
  thresholds: {
    /** Match weight (log2 odds, prior included) at or above which a record links. */
    link: number;
    /** At or above this and below `link`: a possible match, linked only with corroboration. */
    possible: number;
  };
  corroboration: {
    /** Comparison levels that are an exact strong identifier on their own ("phone:exact"). */
    identifiers: string[];
    /** Fields whose agreement counts towards corroboration; given, family and middle names count once, as "name". */
    fields: string[];
    /** An evidence weight at or above this (bits) is a strong agreement. */
    strongWeight: number;
    /** Strong agreements, from different fields, that corroborate a possible match. */
    minStrongAgreements: number;
    /**
     * Levels that never corroborate, however much they weigh: they place a person in a neighbourhood, not at an
     * address ("street:street", the same street at another number), and a family lives streets apart.
     */
    neighbourhoodLevels?: string[];
  };
  household: {
    /**
     * Levels that tell one person from another in the same household
     * ("dob:exact", "identifier:exact"): a first-name disagreement links
     * only with one of them (decide.ts householdConflict).
     */
    personal: string[];
    /**
     * Levels that say two records are different people of one household
     * ("dob:else", "dob:within_10_years"): without a first name that agrees
     * (or a `personal` level), such a candidate is not linked.
     */
    conflicts?: string[];
    /**
     * Levels that say two records are different people even when their
     * first names are the same ("dob:far_apart": a father and son of one
     * name at one address): without a `personal` level, such a candidate
     * is not linked.
     */
    apart?: string[];
  };
  scoring: {
    /**
     * 'union': per comparison, the best level over the members (the entity
     * is what all its members say); 'best_member': the best whole score of
     * any one member; 'best_member_filled': the best member, with the
     * comparisons it cannot make (null) taken from the other members, names
     * excepted. Default 'union'.
     */
    mode?: 'union' | 'best_member' | 'best_member_filled';
    /** Members of an entity compared with a new record (most recent first). */
    maxMembers: number;
    /** Candidate entities scored per record. */
    maxCandidates: number;
  };
};

/** The default comparison for an attribute the model has no parameters for ("attr:*"). */
export const DEFAULT_ATTR = 'attr:*';

/** Checks a model's shape once, at start-up, and freezes it. Throws a TypeError saying what to fix. */
export function validateModel(raw: unknown): Readonly<PersonModel> {
  const model = raw as PersonModel;
  const problems: string[] = [];
  if (!model || typeof model !== 'object') throw new TypeError('person model: expected a JSON object');
  if (typeof model.modelVersion !== 'string' || !model.modelVersion) problems.push('modelVersion must be a non-empty string');
  if (!(model.prior > 0 && model.prior < 1)) problems.push('prior must be a probability strictly between 0 and 1');
  if (!model.thresholds || !(model.thresholds.possible <= model.thresholds.link)) problems.push('thresholds.possible must be <= thresholds.link');
  for (const [field, levels] of Object.entries(COMPARISON_LEVELS)) {
    const params = model.comparisons?.[field];
    if (!params) {
      problems.push(`comparisons.${field} is missing (run npm run er:estimate)`);
      continue;
    }
    for (const level of levels) {
      if (level === 'null') continue;
      const p = params.levels[level];
      // A level added to the code after the model was estimated weighs nothing until `npm run er:estimate`.
      if (!p) params.levels[level] = { m: 0.5, u: 0.5 };
      else if (!(p.m > 0 && p.m <= 1 && p.u > 0 && p.u <= 1)) problems.push(`comparisons.${field}.levels.${level} needs m and u in (0, 1]`);
    }
  }
  for (const [field, params] of Object.entries(model.comparisons ?? {})) {
    const nameLike = params.nameLike;
    if (nameLike && !(Array.isArray(nameLike.levels) && Number.isFinite(nameLike.maxWeight))) {
      problems.push(`comparisons.${field}.nameLike needs levels (a list of level names) and maxWeight (bits)`);
    }
  }
  if (!model.comparisons?.[DEFAULT_ATTR]) problems.push(`comparisons["${DEFAULT_ATTR}"] is missing`);
  if (problems.length > 0) throw new TypeError(`person model ${String(model.modelVersion)}: ${problems.join('; ')}`);
  return deepFreeze(model);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The model shipped with the code (models/person-model.v2.json). */
export const defaultPersonModel: Readonly<PersonModel> = validateModel(structuredClone(modelV2));

/** Parameters of a comparison, falling back to the generic attribute comparison for "attr:NAME". */
export function comparisonParams(model: PersonModel, field: string): ComparisonParams | undefined {
  return model.comparisons[field] ?? (field.startsWith('attr:') ? model.comparisons[DEFAULT_ATTR] : undefined);
}

export const log2 = Math.log2;

/** The prior for a store holding `records` records of `people` people (see PersonModel.livePrior). */
export function priorFor(model: PersonModel, records: number, people: number | undefined): number {
  const live = model.livePrior;
  if (!live || people === undefined || records < live.minRecords || people <= 0) return model.prior;
  const returning = 1 - Math.min(people, records) / records;
  return Math.min(live.max, Math.max(live.min, returning / people));
}

/** log2 odds of a probability. */
export const logit2 = (p: number): number => Math.log2(p / (1 - p));

/** Probability of log2 odds. */
export const probabilityOf = (weight: number): number => 1 / (1 + 2 ** -weight);
