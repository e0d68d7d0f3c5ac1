// Fellegi–Sunter scoring of one record against one entity. Each comparison
// gives a level; each level a weight log2(m/u); the match weight is the sum
// plus the prior's log2 odds, so every score is explained by its evidence.
//
// Against an entity the record is compared with each member (most recent
// first, capped) and, per comparison, the best non-null agreement is kept:
// the entity is the union of what its members say. Exact agreements on a
// value carry term-frequency adjustment from the live counts: a shared
// "smith" says less than a shared "gaster". Pure.

import { compareRecords, isSingleWord } from './comparisons.ts';
import { termKeys } from './blocking.ts';
import { asErFeatures, type ErFeatures } from './features.ts';
import type { EntityView, MatchEvidence, MatchScore } from './identity-store.ts';
import { comparisonParams, logit2, probabilityOf, type PersonModel } from './model.ts';

export type ScoreContext = {
  model: PersonModel;
  /** Records seen with each term (from the store); missing terms count 0. */
  termCounts: Record<string, number>;
  /** The population term counts are relative to (records, or people when terms count people). */
  totalRecords: number;
  /** The prior λ to start from; default model.prior. */
  prior?: number;
};

/** Scores a record's features against an entity's members. */
export function scoreAgainstEntity(f: ErFeatures, entity: EntityView, scoreCtx: ScoreContext): MatchScore {
  const members = entity.members.slice(0, scoreCtx.model.scoring.maxMembers);
  const ctx: EntityContext = { ...scoreCtx, own: ownTermCounts(entity) };
  const prior = logit2(ctx.prior ?? ctx.model.prior);
  const mode = ctx.model.scoring.mode ?? 'union';
  if (mode === 'best_member' || mode === 'best_member_filled') {
    let bestEvidence = new Map<string, MatchEvidence>();
    let bestWeight = -Infinity;
    const perMember: Map<string, MatchEvidence>[] = [];
    for (const stored of members) {
      const evidence = new Map<string, MatchEvidence>();
      collect(f, asErFeatures(stored), ctx, evidence);
      perMember.push(evidence);
      const weight = finish(f, new Map(evidence), prior).matchWeight;
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
    return finish(f, bestEvidence, prior);
  }
  const best = new Map<string, MatchEvidence>();
  for (const stored of members) collect(f, asErFeatures(stored), ctx, best);
  return finish(f, best, prior);
}

const NAME_FIELDS = new Set(['given_name', 'family_name', 'middle_name']);

type EntityContext = ScoreContext & { own: Map<string, number> };

/**
 * How many of the entity's own records carry each term. A value counts once
 * per person: the records of the candidate itself are taken off the count
 * before the frequency is worked out, so a person typed ten times with one
 * e-mail does not make it look common, while an e-mail on sixteen people's
 * records (info@...) does.
 */
function ownTermCounts(entity: EntityView): Map<string, number> {
  const own = new Map<string, number>();
  for (const member of entity.members) for (const t of termKeys(asErFeatures(member))) own.set(t, (own.get(t) ?? 0) + 1);
  return own;
}

function collect(f: ErFeatures, member: ErFeatures, ctx: EntityContext, best: Map<string, MatchEvidence>): void {
  for (const c of compareRecords(f, member)) {
    const weight = levelWeight(c.field, c.level, c.term, ctx, c.term ? ctx.own.get(c.term) : undefined);
    if (weight === undefined) continue;
    const current = best.get(c.field);
    if (!current || weight > current.weight) best.set(c.field, { field: c.field, level: c.level, weight, againstRecordId: member.recordId });
  }
}

function finish(f: ErFeatures, best: Map<string, MatchEvidence>, prior: number): MatchScore {
  // A one-word name is one piece of evidence, whether it met a given name
  // in one member and a family name in another.
  if (isSingleWord(f)) {
    const given = best.get('given_name');
    const family = best.get('family_name');
    if (given && family) best.delete(given.weight >= family.weight ? 'family_name' : 'given_name');
  }
  const evidence = countAddressOnce([...best.values()]);
  let matchWeight = prior;
  for (const e of evidence) matchWeight += e.weight;
  return { matchWeight, probability: probabilityOf(matchWeight), evidence };
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

function countAddressOnce(evidence: MatchEvidence[]): MatchEvidence[] {
  let strongest: MatchEvidence | undefined;
  for (const e of evidence) if (ADDRESS_FIELDS.has(e.field) && e.weight > 0 && (!strongest || e.weight > strongest.weight)) strongest = e;
  if (!strongest) return evidence;
  return evidence.map((e) => (e !== strongest && ADDRESS_FIELDS.has(e.field) && e.weight > 0 ? { ...e, weight: 0 } : e));
}

/**
 * log2(m/u) of a level; with TF adjustment on the model's TF levels, where u
 * becomes the smoothed live frequency of the shared value. Undefined for a
 * level the model does not know (left out of the score).
 */
export function levelWeight(field: string, level: string, term: string | undefined, ctx: ScoreContext, ownCount = 0): number | undefined {
  const params = comparisonParams(ctx.model, field);
  const p = params?.levels[level];
  if (!params || !p) return undefined;
  const plain = Math.log2(p.m / p.u);
  if (!term || !params.tfLevels?.includes(level)) return plain;
  const { priorRecords, minFrequency } = ctx.model.termFrequency;
  const count = Math.max(0, (ctx.termCounts[term] ?? 0) - ownCount) + (ownCount > 0 ? 1 : 0);
  const frequency = Math.max(minFrequency, (count + priorRecords * p.u) / (ctx.totalRecords + priorRecords));
  const adjusted = Math.log2(p.m / frequency);
  const share = params.tfWeight ?? 1;
  return plain + share * (adjusted - plain);
}
