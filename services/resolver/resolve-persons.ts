// What the incident and justice stages share: decoding a registry-encoded
// value and refusing it as bad input when it fails validation, and resolving
// an event's person records one at a time, in order, with how each was
// matched (a replayed record reports the decision the store kept for it).
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { PersonRecord } from '../../shared/er/identity-store.ts';
import type { PersonModel } from '../../shared/er/model.ts';
import { resolveRecord, type ResolutionResult } from '../../shared/er/resolve-record.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import type { StageMessage } from '../../shared/kafka/stage-consumer.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { partyMatch, type PartyMatch } from '../../shared/graph/incident-facts.ts';
import { blockingKeys } from '../../shared/er/blocking.ts';
import { featuresOf, type ErFeatures } from '../../shared/er/features.ts';
import { EMPTY_REGISTER, withoutRefuges, type RefugeRegister } from '../../shared/er/refuges.ts';
import type { EntityHistory, IncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { Associates } from '../../shared/er/score.ts';

type Validation = { ok: true } | { ok: false; reasons: string[] };

/**
 * The moment a message's times are judged against ("in the future?"): this process's clock, or the message's own
 * Kafka timestamp when that is later. A resolver whose clock runs slow would otherwise refuse every call as from the
 * future; a call is never received after it was sent, so its timestamp is a bound no skewed resolver can break.
 */
export function judgedAt(clockNow: number, { message }: Pick<StageMessage, 'message'>): number {
  const sentAt = Number(message.timestamp);
  return Number.isFinite(sentAt) && sentAt > clockNow ? sentAt : clockNow;
}

/**
 * Decodes the message with `reader` (the project's schema of it, whatever compatible version the producer wrote),
 * from a schema of its topic's subject; a value that fails `validate` is bad input (VALIDATION_FAILED), dead-lettered
 * with the reasons.
 */
export async function decodeValid<T>(codec: AvroCodec, { topic, message }: StageMessage, reader: object, validate: (value: T) => Validation): Promise<T> {
  const { value } = await codec.decode(message.value as Buffer, { subject: valueSubject(topic), reader });
  const validation = validate(value as T);
  if (!validation.ok) throw new DauntlessError('VALIDATION_FAILED', validation.reasons.join('; '));
  return value as T;
}

/**
 * Person records with their features, computed once: for the call-order keys and for resolving. A refuge's phone or
 * address is out of both before anything reads them (shared/er/refuges.ts): it finds nobody, links nobody and is not
 * stored; `refugeWithheld` says it was there, for the audit log.
 */
export type PreparedRecord = { record: PersonRecord; features: ErFeatures; refugeWithheld: boolean };

export function prepareRecords(records: readonly PersonRecord[], referenceDate: Date, refuges: RefugeRegister = EMPTY_REGISTER): PreparedRecord[] {
  return records.map((raw) => {
    const { record, features, removed } = withoutRefuges(raw, featuresOf(raw, { referenceDate }), refuges, referenceDate);
    return { record, features, refugeWithheld: removed.phones + removed.addresses > 0 };
  });
}

/**
 * The keys through which records could find each other (their blocking keys, as resolveRecord computes them): a
 * stage's Stage.orderKeys, so a later call sharing one waits for an earlier one still in flight.
 */
export function recordOrderKeys(prepared: readonly PreparedRecord[]): string[] {
  return [...new Set(prepared.flatMap(({ features }) => blockingKeys(features)))];
}

/**
 * The people an event's earlier records are known to be close to: every other party of the incidents in the
 * histories of `anchors` (the entities this event's records already resolved to), with the roles each played there,
 * less the anchors themselves and the event itself (a replay finds it recorded). Justice events are left out: their
 * SUBJECT and RELATED are not a call's roles, and the comparison's weights were estimated on incidents.
 */
export function associatesFrom(histories: readonly EntityHistory[], anchors: readonly string[], eventId: string): Map<string, Set<string>> {
  const associates = new Map<string, Set<string>>();
  for (const { events } of histories) {
    for (const { facts, partyEntityIds } of events) {
      if (facts.kind !== 'incident' || facts.eventId === eventId) continue;
      partyEntityIds.forEach((id, i) => {
        if (id === undefined || anchors.includes(id)) return;
        let roles = associates.get(id);
        if (!roles) associates.set(id, (roles = new Set()));
        for (const role of facts.parties[i]?.roles ?? []) roles.add(role);
      });
    }
  }
  return associates;
}

/**
 * The order to resolve an event's records in for associates: the victims first, the others as they came. The
 * caller is most often the victim and gives her own details in full, so she is the one most surely recognised,
 * and the suspect she names is then looked for beside her history, whichever order call handling listed them in.
 */
export function victimsFirst(items: readonly { roles?: readonly string[] }[]): number[] {
  const indices = items.map((_, i) => i);
  const isVictim = (i: number) => (items[i]!.roles ?? []).includes('VICTIM');
  return [...indices.filter(isVictim), ...indices.filter((i) => !isVictim(i))];
}

/** Events of a person's history read for associates: the most recent, which a repeat victim's account is about. */
export const ASSOCIATE_EVENTS = 50;

/** resolveInOrder's associatesOf over an incident graph, for the records of event `eventId`. */
export function associatesIn(graph: Pick<IncidentGraph, 'histories'>, eventId: string): (anchors: readonly string[]) => Promise<Associates> {
  return async (anchors) => associatesFrom(await graph.histories(anchors, { maxEvents: ASSOCIATE_EVENTS }), anchors, eventId);
}

/**
 * Resolves the records in order (a later record may link to an earlier one),
 * with "today" for ages and two-digit years set to the event's own time, so a
 * replay decides the same. `matches` holds, by key, how each record was
 * matched: for a record resolved before (a replay, or an attempt that crashed
 * before recording its event), the decision made then, so the event's facts
 * are those of a clean run.
 *
 * With `associatesOf`, the victims' records go first (victimsFirst; the results keep the records' order), and a
 * record resolved to someone already known (a link or a merge) makes the records after it look among that
 * person's associates (associatesFrom): a victim recognised, the suspect she names is first of
 * all looked for among those who shared her earlier incidents, where her account of him ("Dave, no date of
 * birth") is thin evidence against all of London but strong beside her history. The associate comparison of the
 * model weighs it (score.ts); it is evidence, not a rule, so a new partner is still a new person.
 */
export async function resolveInOrder<K>(
  items: readonly { key: K; record: PersonRecord; features?: ErFeatures; roles?: readonly string[] }[],
  {
    store,
    model,
    referenceDate,
    associatesOf,
  }: {
    store: IdentityStore;
    model: PersonModel;
    referenceDate: Date;
    /** The associates of the entities given (associatesFrom over their histories); absent: records are resolved on their own. */
    associatesOf?: (anchors: readonly string[]) => Promise<Associates>;
  },
): Promise<{ resolutions: { key: K; resolution: ResolutionResult }[]; matches: Map<K, PartyMatch> }> {
  const resolutions: { key: K; resolution: ResolutionResult }[] = new Array(items.length);
  const anchors: string[] = [];
  let associates: Associates | undefined;
  const order = associatesOf ? victimsFirst(items) : items.map((_, i) => i);
  for (const [step, i] of order.entries()) {
    const { key, record, features, roles } = items[i]!;
    const resolution = await resolveRecord(record, { store, model, referenceDate, ...(features ? { features } : {}), ...(associates ? { associates, roles: roles ?? [] } : {}) });
    resolutions[i] = { key, resolution };
    const known = resolution.decision.outcome !== 'new' && !anchors.includes(resolution.entityId);
    if (associatesOf && known && step < order.length - 1) {
      anchors.push(resolution.entityId);
      associates = await associatesOf(anchors);
    }
  }
  const matches = new Map(resolutions.map((r) => [r.key, partyMatch(r.resolution.decision)]));
  return { resolutions, matches };
}
