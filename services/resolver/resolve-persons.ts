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
 * Resolves the records in order (a later record may link to an earlier one),
 * with "today" for ages and two-digit years set to the event's own time, so a
 * replay decides the same. `matches` holds, by key, how each record was
 * matched: for a record resolved before (a replay, or an attempt that crashed
 * before recording its event), the decision made then, so the event's facts
 * are those of a clean run.
 */
export async function resolveInOrder<K>(
  items: readonly { key: K; record: PersonRecord; features?: ErFeatures }[],
  { store, model, referenceDate }: { store: IdentityStore; model: PersonModel; referenceDate: Date },
): Promise<{ resolutions: { key: K; resolution: ResolutionResult }[]; matches: Map<K, PartyMatch> }> {
  const resolutions: { key: K; resolution: ResolutionResult }[] = [];
  for (const { key, record, features } of items) resolutions.push({ key, resolution: await resolveRecord(record, { store, model, referenceDate, ...(features ? { features } : {}) }) });
  const matches = new Map(resolutions.map((r) => [r.key, partyMatch(r.resolution.decision)]));
  return { resolutions, matches };
}
