// From scores to a decision. A record links to every entity scoring at or
// above the link threshold; one scoring in the possible band links only
// with corroboration (an exact strong identifier, or several independent
// strong agreements), and is otherwise reported as possible. Several
// entities to link → they merge: the survivor is the entity with the most
// members, ties broken by the smallest entity id, so every resolver instance
// picks the same one. Entities marked notWith each other are never joined:
// the higher-scoring one wins and the other is reported as possible. Pure.

import type { Decision, MatchScore } from './identity-store.ts';
import type { PersonModel } from './model.ts';
import { ASSOCIATE } from './score.ts';

export type ScoredEntity = {
  entityId: string;
  score: MatchScore;
  /** Members in all (EntityView.memberCount); for the survivor rule. Default 1. */
  memberCount?: number;
  /** EntityView.notWith. */
  notWith?: string[];
};

export type DecideResult = {
  decision: Decision;
  /** Possible matches not linked, best first. */
  possible: { entityId: string; score: MatchScore }[];
};

export function decide(scored: ScoredEntity[], model: PersonModel): DecideResult {
  const { link, possible: possibleFloor } = model.thresholds;
  const linkable: ScoredEntity[] = [];
  const possible: ScoredEntity[] = [];
  for (const s of scored) {
    const w = s.score.matchWeight;
    if (w >= possibleFloor && householdConflict(s.score, model)) possible.push(s);
    else if (w >= link) linkable.push(s);
    else if (w >= possibleFloor) {
      const corroboratedBy = corroboration(s.score, model);
      if (corroboratedBy) linkable.push({ ...s, score: { ...s.score, corroboratedBy } });
      else possible.push(s);
    }
  }
  // Highest score first when notWith forces a choice; entity id breaks ties.
  linkable.sort((a, b) => b.score.matchWeight - a.score.matchWeight || compareIds(a.entityId, b.entityId));
  const accepted: ScoredEntity[] = [];
  for (const s of linkable) {
    const clash = accepted.some((a) => a.notWith?.includes(s.entityId) || s.notWith?.includes(a.entityId));
    if (clash) possible.push(s);
    else accepted.push(s);
  }
  // A record placed beside the people it is known to be close to (associate evidence at its same_role level: the
  // suspect she named before) is that person; another entity that only shares its name and the like is a namesake,
  // reported as possible, not merged in: joining two men's histories takes more than a name.
  if (accepted.length > 1 && accepted.some((s) => isSameRoleAssociate(s.score))) {
    possible.push(...accepted.filter((s) => !isSameRoleAssociate(s.score)));
    accepted.splice(0, accepted.length, ...accepted.filter((s) => isSameRoleAssociate(s.score)));
  }
  // Merging is for a record that is each of the entities: it must agree on
  // the name with every one it joins. The best-scoring entity is kept; the
  // others it does not name are reported as possible (a nameless record
  // with a shared household e-mail must not fold a family into one person).
  if (accepted.length > 1) {
    const [first, ...rest] = accepted;
    accepted.length = 0;
    accepted.push(first!);
    for (const s of rest) {
      if (agreesOnName(s.score)) accepted.push(s);
      else possible.push(s);
    }
    if (!agreesOnName(first!.score) && accepted.length > 1) {
      possible.push(...accepted.splice(1));
    }
  }
  possible.sort((a, b) => b.score.matchWeight - a.score.matchWeight || compareIds(a.entityId, b.entityId));
  const reported = possible.map(({ entityId, score }) => ({ entityId, score }));
  if (accepted.length === 0) return { decision: { outcome: 'new' }, possible: reported };
  if (accepted.length === 1) {
    const only = accepted[0]!;
    return { decision: { outcome: 'link', entityId: only.entityId, score: only.score }, possible: reported };
  }
  accepted.sort((a, b) => (b.memberCount ?? 1) - (a.memberCount ?? 1) || compareIds(a.entityId, b.entityId));
  const scores: Record<string, MatchScore> = {};
  for (const a of accepted) scores[a.entityId] = a.score;
  return { decision: { outcome: 'merge', entityIds: accepted.map((a) => a.entityId), scores }, possible: reported };
}

/** The score has the associate comparison at its same_role level (score.ts ASSOCIATE): the one she named before. */
function isSameRoleAssociate(score: MatchScore): boolean {
  return score.evidence.some((e) => e.field === ASSOCIATE.field && e.level === ASSOCIATE.sameRole);
}

/**
 * Two people of one household share a family name, an address, a phone
 * and an e-mail; what tells them apart is their first names and dates of
 * birth. A link stops (the candidate is reported as possible instead)
 * unless something personal agrees (`household.personal`: the date of
 * birth, or an identifier) when either
 * - the first names clearly disagree ('else', both written out), or
 * - the records are of people apart whatever their names
 *   (`household.apart`: dates of birth far apart, a father and son of one
 *   name), or
 * - the dates of birth conflict (`household.conflicts`, e.g. ten years
 *   apart) and the first names do not agree: nothing but what a household
 *   shares speaks for the link, unless the candidate is an associate who
 *   played the record's own role (score.ts ASSOCIATE, same_role): of the
 *   household, he is the one she named as her suspect before, and a victim's
 *   guess at his date of birth is the detail most often wrong. First names
 *   that clearly disagree, or dates far apart, still stop it: her son named
 *   as the suspect this time must not become his father.
 */
export function householdConflict(score: MatchScore, model: PersonModel): boolean {
  if (score.evidence.some((e) => model.household.personal.includes(`${e.field}:${e.level}`))) return false;
  const given = score.evidence.find((e) => e.field === 'given_name');
  if (given?.level === 'else') return true;
  const reached = (levels: readonly string[] = []) => score.evidence.some((e) => levels.includes(`${e.field}:${e.level}`));
  if (reached(model.household.apart)) return true;
  if (!reached(model.household.conflicts)) return false;
  if (isSameRoleAssociate(score)) return false;
  return !given || !SAME_FIRST_NAME.has(given.level);
}

/** First-name levels that say "the same first name" (typed apart at most), not merely "a similar one" (Jon, Joan). */
const SAME_FIRST_NAME: ReadonlySet<string> = new Set(['exact', 'jaro_winkler>=0.92', 'nickname']);

/**
 * The evidence that corroborates a possible match, or undefined when there
 * is not enough: an exact strong identifier, or strong agreement on several
 * independent groups of fields. Given, family and middle names are one group,
 * the name, whose weight is their sum: a first name that agrees beside a
 * surname that disagrees is no corroboration.
 */
export function corroboration(score: MatchScore, model: PersonModel): string[] | undefined {
  const { identifiers, strongWeight, minStrongAgreements, fields: counted, neighbourhoodLevels = [] } = model.corroboration;
  let nameWeight = 0;
  for (const e of score.evidence) if (NAME_FIELDS.has(e.field)) nameWeight += e.weight;
  const nameIsStrong = nameWeight >= strongWeight;
  const strong = score.evidence.filter((e) =>
    NAME_FIELDS.has(e.field)
      ? nameIsStrong && e.weight > 0
      : e.weight >= strongWeight && counted.includes(e.field) && !neighbourhoodLevels.includes(`${e.field}:${e.level}`),
  );
  const identifier = strong.find((e) => identifiers.includes(`${e.field}:${e.level}`));
  if (identifier) return [`${identifier.field}:${identifier.level}`];
  const fields = new Set(strong.map((e) => (NAME_FIELDS.has(e.field) ? 'name' : e.field)));
  if (fields.size >= minStrongAgreements) return strong.map((e) => `${e.field}:${e.level}`);
  return undefined;
}

/** A name field agrees (positive weight) and none disagrees. */
function agreesOnName(score: MatchScore): boolean {
  const names = score.evidence.filter((e) => NAME_FIELDS.has(e.field));
  return names.some((e) => e.weight > 0) && !names.some((e) => e.level === 'else');
}

const NAME_FIELDS = new Set(['given_name', 'family_name', 'middle_name']);

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
