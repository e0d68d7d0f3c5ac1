// Resolves one person record, as it arrives, to a stable person entity:
//   features → block keys → candidates from the store → score each →
//   decide → apply atomically.
// The store refuses the change if anything under the record's keys moved
// since the candidates were read (another resolver filed a record there);
// then the record is resolved again from fresh candidates, a bounded number
// of times. A record resolved before (a replay) changes nothing, and is
// reported as it was resolved then: the decision, the possible matches and
// the entities its merge took in, with the entity it stands for now.

import { DauntlessError } from '../errors/dauntless-error.ts';
import { blockingKeys, lookupTerms, termKeys } from './blocking.ts';
import { decide } from './decide.ts';
import { featuresOf, type ErFeatures } from './features.ts';
import type { CountryCode } from 'libphonenumber-js';
import type { CandidateView, Decision, IdentityStore, KnownRecord, MatchScore, PersonRecord } from './identity-store.ts';
import { priorFor, type PersonModel } from './model.ts';
import { scoreAgainstEntity, type Associates } from './score.ts';

export type ResolveOptions = {
  store: IdentityStore;
  model: PersonModel;
  /** "Today" for ages and two-digit years: the event time, so replays agree. */
  referenceDate: Date;
  /** Entities read per block key, most recently filed first. Default DEFAULT_MAX_PER_KEY. */
  maxPerKey?: number;
  /** Attempts before giving up when the store keeps reporting conflicts. Default 5. */
  maxAttempts?: number;
  /** Country for phone numbers typed without a code. Default GB. */
  phoneCountry?: CountryCode;
  /** The record's features, when the caller computed them already (featuresOf with the same options). */
  features?: ErFeatures;
  /** The id of the entity the record founds if it matches nobody, when not entityIdFor(recordId) (GraphChange.newEntityId). */
  newEntityId?: string;
  /**
   * The record's associates: the people it is known to be close to, such as those who shared an earlier incident with
   * someone else this call names (services/resolver/resolve-persons.ts). Each is a candidate whatever keys it is
   * filed under, and scores the model's associate comparison (score.ts).
   */
  associates?: Associates;
  /** The record's roles in its event (VICTIM, SUSPECT ...), for the associate comparison. */
  roles?: readonly string[];
};

export type ResolutionResult = {
  recordId: string;
  entityId: string;
  /** What was decided; for a duplicate, what was decided when the record was first resolved. */
  decision: Decision;
  possible: { entityId: string; score: MatchScore }[];
  /** The record was resolved before: nothing changed. */
  duplicate: boolean;
  /** Entities merged into `entityId` by this record (for a duplicate, by its first resolution: see mergedAwayBy). */
  mergedEntityIds: string[];
  /** Candidate entities scored (last attempt). */
  candidates: number;
  attempts: number;
  blockKeys: string[];
};

/**
 * Entities read per block key (the most recently filed). A key shared by
 * more people than this (a common date of birth, "smith" with an initial)
 * says little on its own; the person is found through a stronger key that
 * mixes it with another field. 10 scores half the candidates per record that
 * 50 would, with no loss of quality measured (models/README.md, "Blocking").
 */
export const DEFAULT_MAX_PER_KEY = 10;
const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Counter of people (entities founded; merges are not taken off): the
 * population term frequencies are relative to. Term counters count records;
 * score.ts takes off the candidate's own records, so a value counts once
 * per person.
 */
export const PEOPLE_TERM = '#people';

/** Scores a record against the candidates of a view (at most the model's maxCandidates), as decide() takes them. */
export function scoreCandidates(features: ErFeatures, view: CandidateView, model: PersonModel, associates?: Associates, roles?: readonly string[]) {
  const people = view.termCounts[PEOPLE_TERM];
  const ctx = {
    model,
    termCounts: view.termCounts,
    totalRecords: people ?? view.totalRecords,
    prior: priorFor(model, view.totalRecords, people),
    ...(associates ? { associates, roles: roles ?? [] } : {}),
  };
  return view.entities.slice(0, model.scoring.maxCandidates).map((entity) => ({
    entityId: entity.entityId,
    score: scoreAgainstEntity(features, entity, ctx),
    memberCount: entity.memberCount ?? entity.members.length,
    notWith: entity.notWith,
  }));
}

/**
 * The entities a merge decision took into its survivor, as the store's apply
 * reports them. A replay reports them again, so the graph event of a call
 * whose first attempt crashed before it was announced names the ids that
 * went, as a clean run's did; for the scorer that has seen them already,
 * taking an id off the boards twice changes nothing.
 */
export function mergedAwayBy(decision: Decision): string[] {
  if (decision.outcome !== 'merge') return [];
  const [survivor, ...absorbed] = decision.entityIds;
  return absorbed.filter((id) => id !== survivor);
}

/** A record resolved before, reported as it was resolved then, under the entity it stands for now. */
function replayOf(base: { recordId: string; blockKeys: string[] }, known: KnownRecord): ResolutionResult {
  const { entityId, decision, possible } = known;
  return { ...base, entityId, decision, possible, duplicate: true, mergedEntityIds: mergedAwayBy(decision), candidates: 0, attempts: 0 };
}

export async function resolveRecord(record: PersonRecord, opts: ResolveOptions): Promise<ResolutionResult> {
  const { store, model } = opts;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const features = opts.features ?? featuresOf(record, opts.phoneCountry ? { referenceDate: opts.referenceDate, phoneCountry: opts.phoneCountry } : { referenceDate: opts.referenceDate });
  const blockKeys = blockingKeys(features);
  const terms = termKeys(features);
  const lookups = [...lookupTerms(features), PEOPLE_TERM];
  const base = { recordId: record.recordId, blockKeys };

  // Naming the record lets the store answer a replay at once, in the same round trip.
  const associates = opts.associates && opts.associates.size > 0 ? opts.associates : undefined;
  const request = {
    recordId: record.recordId,
    blockKeys,
    terms: lookups,
    maxPerKey: opts.maxPerKey ?? DEFAULT_MAX_PER_KEY,
    ...(associates ? { entities: [...associates.keys()] } : {}),
  };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const view = await store.candidates(request);
    if (view.known) return replayOf(base, view.known);
    const scored = scoreCandidates(features, view, model, associates, opts.roles);
    const { decision, possible } = decide(scored, model);
    const newTerms = decision.outcome === 'new' ? [...terms, PEOPLE_TERM] : terms;
    const result = await store.apply(
      // The record itself goes along, so a reversed merge can resolve it again.
      { recordId: record.recordId, record, features, blockKeys, terms: newTerms, decision, possible, modelVersion: model.modelVersion, ...(opts.newEntityId ? { newEntityId: opts.newEntityId } : {}) },
      view.token,
    );
    if (result.status === 'conflict') continue;
    if (result.status === 'duplicate') {
      // Another resolver placed the record between our read and our write: report its decision, not ours.
      const again = await store.candidates(request);
      if (again.known) return { ...replayOf(base, again.known), attempts: attempt };
      continue;
    }
    return { ...base, entityId: result.entityId, decision, possible, duplicate: false, mergedEntityIds: result.mergedEntityIds, candidates: scored.length, attempts: attempt };
  }
  throw new DauntlessError(
    'RESOLVE_CONFLICT',
    `record ${record.recordId}: the identity store reported a conflict on each of ${maxAttempts} attempts (keys under heavy concurrent writes)`,
    { retriable: true },
  );
}
