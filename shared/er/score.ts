// Fellegi–Sunter scoring of one record against one entity. Each comparison
// gives a level; each level a weight log2(m/u); the match weight is the sum
// plus the prior's log2 odds, so every score is explained by its evidence.
//
// Against an entity the record is compared with each member (most recent
// first, capped) and, per comparison, the best non-null agreement is kept:
// the entity is the union of what its members say. Exact agreements on a
// value carry term-frequency adjustment from the live counts: a shared
// "smith" says less than a shared "gaster". Pure.
//
// This runs for every member of every candidate of every record (tens of
// member comparisons a record), so work that depends only
// on the entity or the model is done once and kept (see entityFacts,
// weightTable); a member's score is summed without building its evidence
// list; and members that carry exactly the same comparable features as one
// already compared are not compared again (they cannot change the result:
// the first of equals is the one kept).

import { compareRecords, isSingleWord } from './comparisons.ts';
import { termKeys } from './blocking.ts';
import { asErFeatures, type ErFeatures } from './features.ts';
import type { EntityView, MatchEvidence, MatchScore, PersonFeatures } from './identity-store.ts';
import { comparisonParams, logit2, probabilityOf, type LevelParams, type PersonModel } from './model.ts';

export type ScoreContext = {
  model: PersonModel;
  /** Records seen with each term (from the store); missing terms count 0. */
  termCounts: Record<string, number>;
  /** The population term counts are relative to (records, or people when terms count people). */
  totalRecords: number;
  /** The prior λ to start from; default model.prior. */
  prior?: number;
  /**
   * Entities the record is known to be close to (resolve-record.ts, "associates"), each with the roles it played
   * beside them. One of them scored as a candidate has the model's `associate` comparison: `same_role` when it played
   * one of the record's own `roles` (the suspect she named before), else `co_party` (her child, a witness). Absent,
   * or an entity not in it: no evidence either way (a perpetrator may abuse someone new).
   */
  associates?: Associates;
  /** The record's roles in its event, for the associate comparison. */
  roles?: readonly string[];
};

/** Associate entity id → the roles it played in the events that made it one. */
export type Associates = ReadonlyMap<string, ReadonlySet<string>>;

/** The comparison an associate scores (ScoreContext.associates) and its levels. */
export const ASSOCIATE = { field: 'associate', sameRole: 'same_role', coParty: 'co_party' } as const;

/** The associate level of a candidate that is an associate: whether it played one of the record's roles. */
export function associateLevel(playedRoles: ReadonlySet<string>, roles: readonly string[] = []): string {
  return roles.some((role) => playedRoles.has(role)) ? ASSOCIATE.sameRole : ASSOCIATE.coParty;
}

/** Scores a record's features against an entity's members. */
export function scoreAgainstEntity(f: ErFeatures, entity: EntityView, scoreCtx: ScoreContext): MatchScore {
  const facts = entityFacts(entity.members, scoreCtx.model.scoring.maxMembers);
  // Spelled out, not spread: this runs for every candidate of every record.
  const ctx: EntityContext = {
    model: scoreCtx.model,
    termCounts: scoreCtx.termCounts,
    totalRecords: scoreCtx.totalRecords,
    prior: scoreCtx.prior,
    associates: scoreCtx.associates,
    roles: scoreCtx.roles,
    own: facts.own,
    weights: weightTable(scoreCtx.model),
  };
  const nameLike = nameLikeTable(scoreCtx.model);
  const prior = logit2(ctx.prior ?? ctx.model.prior);
  const mode = ctx.model.scoring.mode ?? 'union';
  if (mode === 'best_member' || mode === 'best_member_filled') {
    let bestEvidence = new Map<string, MatchEvidence>();
    let bestWeight = -Infinity;
    const perMember: Map<string, MatchEvidence>[] = [];
    for (const member of facts.compared) {
      const evidence = new Map<string, MatchEvidence>();
      collect(f, member, ctx, evidence);
      perMember.push(evidence);
      const weight = matchWeightOf(f, evidence, prior, nameLike);
      if (weight > bestWeight) {
        bestWeight = weight;
        bestEvidence = evidence;
      }
    }
    if (mode === 'best_member_filled') {
      // What the best member does not say (null on that member), the others may.
      const filled = new Map(bestEvidence);
      for (const evidence of perMember) {
        for (const [field, e] of evidence) {
          if (bestEvidence.has(field) || NAME_FIELDS.has(field)) continue;
          const current = filled.get(field);
          if (!current || e.weight > current.weight) filled.set(field, e);
        }
      }
      bestEvidence = filled;
    }
    return finish(f, withAssociate(bestEvidence, entity.entityId, ctx), prior, nameLike);
  }
  const best = new Map<string, MatchEvidence>();
  for (const member of facts.compared) collect(f, member, ctx, best);
  return finish(f, withAssociate(best, entity.entityId, ctx), prior, nameLike);
}

/** The evidence (this score's own map), with the associate comparison's when the entity is one of the record's associates and the model weighs it. */
function withAssociate(evidence: Map<string, MatchEvidence>, entityId: string, ctx: EntityContext): Map<string, MatchEvidence> {
  const played = ctx.associates?.get(entityId);
  if (!played) return evidence;
  const level = associateLevel(played, ctx.roles);
  const weight = tableWeight(ctx.weights, ASSOCIATE.field, level, undefined, ctx);
  if (weight !== undefined) evidence.set(ASSOCIATE.field, { field: ASSOCIATE.field, level, weight });
  return evidence;
}

/**
 * What scoring needs of an entity, whatever the record: the members to
 * compare (the first `maxMembers`, less any that repeat an earlier member's
 * comparable features) and its own term counts. Kept per members list: a
 * store hands out the same list object for as long as the entity is
 * unchanged (the Redis store's member cache), and a list is never changed
 * once handed out.
 */
type EntityFacts = { compared: ErFeatures[]; own: Map<string, number>; maxMembers: number };

const factsCache = new WeakMap<readonly PersonFeatures[], EntityFacts>();

function entityFacts(members: readonly PersonFeatures[], maxMembers: number): EntityFacts {
  const cached = factsCache.get(members);
  if (cached && cached.maxMembers === maxMembers) return cached;
  const compared: ErFeatures[] = [];
  const signatures = new Set<string>();
  for (const stored of members.slice(0, maxMembers)) {
    const member = asErFeatures(stored);
    const signature = comparableSignature(member);
    if (signatures.has(signature)) continue;
    signatures.add(signature);
    compared.push(member);
  }
  const facts = { compared, own: ownTermCounts(members), maxMembers };
  factsCache.set(members, facts);
  return facts;
}

/**
 * The features a comparison reads, as one string: two members with the same
 * signature compare the same with any record. Everything but the record's
 * identity (recordId, source) is in it.
 */
function comparableSignature(member: ErFeatures): string {
  let signature = signatureCache.get(member);
  if (signature === undefined) {
    const { recordId: _recordId, source: _source, ...comparable } = member;
    signatureCache.set(member, (signature = JSON.stringify(comparable)));
  }
  return signature;
}

const signatureCache = new WeakMap<object, string>();

const NAME_FIELDS = new Set(['given_name', 'family_name', 'middle_name']);

type EntityContext = ScoreContext & { own: Map<string, number>; weights: WeightTable };

/**
 * How many of the entity's own records carry each term. A value counts once
 * per person: the records of the candidate itself are taken off the count
 * before the frequency is worked out, so a person typed ten times with one
 * e-mail does not make it look common, while an e-mail on sixteen people's
 * records (info@...) does.
 */
function ownTermCounts(members: readonly PersonFeatures[]): Map<string, number> {
  const own = new Map<string, number>();
  for (const member of members) for (const t of termKeys(asErFeatures(member))) own.set(t, (own.get(t) ?? 0) + 1);
  return own;
}

function collect(f: ErFeatures, member: ErFeatures, ctx: EntityContext, best: Map<string, MatchEvidence>): void {
  for (const c of compareRecords(f, member)) {
    const weight = tableWeight(ctx.weights, c.field, c.level, c.term, ctx, c.term ? ctx.own.get(c.term) : undefined);
    if (weight === undefined) continue;
    const current = best.get(c.field);
    if (!current || weight > current.weight) best.set(c.field, { field: c.field, level: c.level, weight, againstRecordId: member.recordId });
  }
}

function finish(f: ErFeatures, best: Map<string, MatchEvidence>, prior: number, nameLike: NameLikeTable): MatchScore {
  const dropped = droppedNameField(f, best);
  const counted = countedAddressField(best);
  const named = nameLike.size > 0 && nameAgrees(best, dropped);
  const evidence: MatchEvidence[] = [];
  let matchWeight = prior;
  for (const [field, e] of best) {
    if (field === dropped) continue;
    const uncounted = field !== counted && ADDRESS_FIELDS.has(field) && e.weight > 0;
    const weight = uncounted ? 0 : named ? nameLikeWeight(nameLike, e) : e.weight;
    evidence.push(weight === e.weight ? e : { ...e, weight });
    matchWeight += weight;
  }
  return { matchWeight, probability: probabilityOf(matchWeight), evidence };
}

/** finish(...).matchWeight without building the evidence: the same sum, in the same order. */
function matchWeightOf(f: ErFeatures, best: Map<string, MatchEvidence>, prior: number, nameLike: NameLikeTable): number {
  const dropped = droppedNameField(f, best);
  const counted = countedAddressField(best);
  const named = nameLike.size > 0 && nameAgrees(best, dropped);
  let matchWeight = prior;
  for (const [field, e] of best) {
    if (field === dropped || (field !== counted && ADDRESS_FIELDS.has(field) && e.weight > 0)) continue;
    matchWeight += named ? nameLikeWeight(nameLike, e) : e.weight;
  }
  return matchWeight;
}

/**
 * Comparison levels that mostly repeat the name (the model's `nameLike`:
 * an e-mail's local part is usually made of the name) and the most they
 * weigh beside a name that agrees. FS assumes comparisons independent;
 * counted in full, "tanisha.reid@" against "tanisha.reid2@" gave two
 * people of one name 16.5 bits more than the name itself. Worked out once
 * per model.
 */
type NameLikeTable = Map<string, { levels: ReadonlySet<string>; maxWeight: number }>;

const nameLikeTables = new WeakMap<PersonModel['comparisons'], NameLikeTable>();

function nameLikeTable(model: PersonModel): NameLikeTable {
  let table = nameLikeTables.get(model.comparisons);
  if (!table) {
    table = new Map();
    for (const [field, params] of Object.entries(model.comparisons)) {
      if (params.nameLike) table.set(field, { levels: new Set(params.nameLike.levels), maxWeight: params.nameLike.maxWeight });
    }
    nameLikeTables.set(model.comparisons, table);
  }
  return table;
}

/** A name field (other than one left out) agrees: positive weight. */
function nameAgrees(best: Map<string, MatchEvidence>, dropped: string | undefined): boolean {
  for (const field of NAME_FIELDS) if (field !== dropped && (best.get(field)?.weight ?? 0) > 0) return true;
  return false;
}

/** The weight of an agreement beside an agreeing name: a name-like level's at most its maxWeight. */
function nameLikeWeight(nameLike: NameLikeTable, e: MatchEvidence): number {
  const rule = nameLike.get(e.field);
  return rule && rule.levels.has(e.level) ? Math.min(e.weight, rule.maxWeight) : e.weight;
}

/**
 * A one-word name is one piece of evidence, whether it met a given name in
 * one member and a family name in another: the weaker of the two is left out.
 */
function droppedNameField(f: ErFeatures, best: Map<string, MatchEvidence>): string | undefined {
  if (!isSingleWord(f)) return undefined;
  const given = best.get('given_name');
  const family = best.get('family_name');
  if (!given || !family) return undefined;
  return given.weight >= family.weight ? 'family_name' : 'given_name';
}

/**
 * Fields that describe one address. A postcode, a street and a town that
 * agree are one fact, the address, not three: FS assumes comparisons
 * independent, and summed they made a shared address (a household, a
 * neighbour on the same street) worth 25 bits. The strongest agreement
 * stands; the others stay in the evidence with weight 0, so the score
 * still explains itself. Disagreements count in full.
 */
export const ADDRESS_FIELDS: ReadonlySet<string> = new Set(['postcode', 'street', 'town']);

/** The address field whose agreement counts: the strongest positive one (the first of equals). */
function countedAddressField(best: Map<string, MatchEvidence>): string | undefined {
  let strongest: MatchEvidence | undefined;
  for (const e of best.values()) if (ADDRESS_FIELDS.has(e.field) && e.weight > 0 && (!strongest || e.weight > strongest.weight)) strongest = e;
  return strongest?.field;
}

/**
 * log2(m/u) of a level; with TF adjustment on the model's TF levels, where u
 * becomes the smoothed live frequency of the shared value. Undefined for a
 * level the model does not know (left out of the score).
 */
export function levelWeight(field: string, level: string, term: string | undefined, ctx: ScoreContext, ownCount = 0): number | undefined {
  return tableWeight(weightTable(ctx.model), field, level, term, ctx, ownCount);
}

/** A level's plain weight log2(m/u), its m and u, and whether it is term-frequency adjusted. */
type LevelWeight = { plain: number; p: LevelParams; tf: boolean; share: number };
/** field → level → weight, undefined where the model has no such level. */
type WeightTable = Map<string, Map<string, LevelWeight | undefined>>;

/**
 * The model's plain weights, worked out once per model (models are not
 * changed once in use: validateModel freezes them). Filled on first use of
 * each field and level.
 */
const weightTables = new WeakMap<PersonModel['comparisons'], WeightTable>();

function weightTable(model: PersonModel): WeightTable {
  let table = weightTables.get(model.comparisons);
  if (!table) weightTables.set(model.comparisons, (table = new Map()));
  return table;
}

function tableWeight(table: WeightTable, field: string, level: string, term: string | undefined, ctx: ScoreContext, ownCount = 0): number | undefined {
  let levels = table.get(field);
  if (!levels) table.set(field, (levels = new Map()));
  let w = levels.get(level);
  if (w === undefined && !levels.has(level)) levels.set(level, (w = levelWeightOf(ctx.model, field, level)));
  if (!w) return undefined;
  if (!term || !w.tf) return w.plain;
  const { p, plain, share } = w;
  const { priorRecords, minFrequency } = ctx.model.termFrequency;
  const count = Math.max(0, (ctx.termCounts[term] ?? 0) - ownCount) + (ownCount > 0 ? 1 : 0);
  const frequency = Math.max(minFrequency, (count + priorRecords * p.u) / (ctx.totalRecords + priorRecords));
  const adjusted = Math.log2(p.m / frequency);
  return plain + share * (adjusted - plain);
}

function levelWeightOf(model: PersonModel, field: string, level: string): LevelWeight | undefined {
  const params = comparisonParams(model, field);
  const p = params?.levels[level];
  if (!params || !p) return undefined;
  return { plain: Math.log2(p.m / p.u), p, tf: params.tfLevels?.includes(level) ?? false, share: params.tfWeight ?? 1 };
}
