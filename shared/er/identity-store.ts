// The contract between the resolver core (pure: features, blocking,
// comparisons, scoring, decisions) and where the identity graph lives (Redis
// in production: shared/graph/redis-identity-store.ts; memory for unit
// tests and fast tuning: memory-identity-store.ts). The core never imports
// ioredis; the store never scores.

import { createHash } from 'node:crypto';
import type { AttrComparison } from './comparisons.ts';

/** A new entity's id: derived from the record that created it, so replays and parallel resolvers agree. */
export function entityIdFor(recordId: string): string {
  return 'P' + createHash('sha256').update(recordId).digest('hex').slice(0, 20);
}

/**
 * A CandidateView's termCounts, built for the hot path: a prototype-less
 * object starts as a hash table, so each record's own set of terms neither
 * builds entry pairs (Object.fromEntries) nor grows V8's tree of object
 * shapes, and "constructor" or "__proto__" are terms like any other.
 */
export function countsByTerm(terms: readonly string[], count: (term: string, index: number) => number): Record<string, number> {
  const counts = Object.create(null) as Record<string, number>;
  for (let i = 0; i < terms.length; i++) counts[terms[i]!] = count(terms[i]!, i);
  return counts;
}

/** A person record as it arrives, its fields as typed (any may be missing). */
export type PersonRecord = {
  /** Unique per record and stable: the idempotency key (e.g. "<eventId>:<partyId>", or a CSV row id). */
  recordId: string;
  /** Where it came from: "cad", "justice", "csv:<file>"; for explanations. */
  source: string;
  fields: PersonFields;
};

export type PersonFields = {
  given_name?: string;
  family_name?: string;
  full_name?: string;
  aliases?: string[];
  dob?: string;
  /** Stated or estimated age, when no date of birth. */
  age?: number;
  phones?: string[];
  emails?: string[];
  /** Whole addresses as typed. */
  addresses?: string[];
  /** Address parts, when a source keeps them apart; joined into one address. */
  house_number?: string;
  street?: string;
  town?: string;
  postcode?: string;
  gender?: string;
  /** Other identifiers compared exactly (CSV `attr:NAME` columns; PNC id, NHS number ...). */
  attrs?: Record<string, string>;
  /** How an attribute is compared, when not the default 'text' (comparisons.ts ATTR_COMPARISONS): "postcode" → "numeric". */
  attrComparisons?: Record<string, AttrComparison>;
};

/** The canonical features of one record: JSON-serialisable, stored with the entity. */
export type PersonFeatures = {
  recordId: string;
  source: string;
  /** Field values compared by the model; the shape belongs to shared/er/features.ts. */
  [feature: string]: unknown;
};

/** An entity as the resolver sees it when scoring a new record against it. */
export type EntityView = {
  entityId: string;
  /** The features of its member records (the store may cap how many, most recent first). */
  members: PersonFeatures[];
  /** Entities this one must never be merged with (a reversed merge leaves such a pair). */
  notWith: string[];
  /** How many member records it has in all (members may be capped); the merge survivor is the largest. */
  memberCount?: number;
};

/** One comparison's contribution to a match score. */
export type MatchEvidence = {
  /** "given_name", "family_name", "dob", "phone", "postcode" ... */
  field: string;
  /** The level reached, in words: "exact", "nickname", "jaro_winkler>=0.92", "day_month_swapped", "null" ... */
  level: string;
  /** log2 Bayes factor, after any term-frequency adjustment. */
  weight: number;
  /** The member record of the entity the best comparison was with. */
  againstRecordId?: string;
};

export type MatchScore = {
  /** Sum of the evidence weights plus the prior, in log2 odds. */
  matchWeight: number;
  /** 2^w / (1 + 2^w) */
  probability: number;
  evidence: MatchEvidence[];
  /**
   * Set when the score was in the possible-match band and linked only
   * because of corroboration: the evidence that corroborated it
   * ("phone:exact", "dob:exact" ...). Absent for a link above the threshold.
   */
  corroboratedBy?: string[];
};

export type Decision =
  | { outcome: 'new' }
  | { outcome: 'link'; entityId: string; score: MatchScore }
  /** The record links several entities: they merge into the first (the survivor). */
  | { outcome: 'merge'; entityIds: string[]; scores: Record<string, MatchScore> };

/** What the resolver asks the store to write, atomically. */
export type GraphChange = {
  recordId: string;
  /** The record as received: kept so that a reversed merge can resolve it again. */
  record?: PersonRecord;
  features: PersonFeatures;
  /** Index keys to file the record's entity under (blocking keys). */
  blockKeys: string[];
  /** Term-frequency counters to increment (e.g. "family_name:smith"). */
  terms: string[];
  decision: Decision;
  /** Candidates scored in the possible-match band but not linked: kept for review and explanation. */
  possible: { entityId: string; score: MatchScore }[];
  /** Model version that made the decision. */
  modelVersion: string;
  /**
   * The id of the entity a `new` decision founds, when not entityIdFor(recordId): a corrected record that founds a
   * person anew while the entity it first founded keeps other records (shared/graph/correct-record.ts).
   */
  newEntityId?: string;
};

export type CandidateRequest = { blockKeys: string[]; terms: string[]; maxPerKey: number; recordId?: string; entities?: readonly string[] };

export type CandidateView = {
  entities: EntityView[];
  /** Count of records seen with each requested term, and of all records: for term-frequency adjustments. */
  termCounts: Record<string, number>;
  totalRecords: number;
  /** Opaque: `apply` refuses the change if anything under these keys changed since. */
  token: string;
  /** Set when the request named a record that is already resolved: what was kept of it; nothing else is filled in. */
  known?: KnownRecord;
};

/**
 * A record resolved before, as the store kept it when it was resolved: a
 * replay (a crash between resolving a party and recording its incident, say)
 * reports this decision again, so the party's match and the intelligence
 * built on it are those of the first run.
 */
export type KnownRecord = {
  /** Its entity now (following merges since). */
  entityId: string;
  decision: Decision;
  possible: { entityId: string; score: MatchScore }[];
};

export type ApplyResult =
  | { status: 'applied'; entityId: string; mergedEntityIds: string[] }
  /** The record was resolved before (a replay): nothing changed. */
  | { status: 'duplicate'; entityId: string }
  /** Something under the record's keys changed since `candidates`: resolve again. */
  | { status: 'conflict' };

export interface IdentityStore {
  /**
   * Entities filed under any of the keys (at most `maxPerKey` per key), with term counts; and `entities`, when given
   * (each as it stands now, following merges), after those of the keys: people the record is known to be close to
   * (the associates of resolve-record.ts), whatever keys they are filed under.
   */
  candidates(request: CandidateRequest): Promise<CandidateView>;
  /** The entity the record belongs to now (following merges), or undefined if never resolved. */
  entityOfRecord(recordId: string): Promise<string | undefined>;
  apply(change: GraphChange, token: string): Promise<ApplyResult>;
}
