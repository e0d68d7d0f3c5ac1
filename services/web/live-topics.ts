// The web service's two readers of Kafka.
// - The filing reader (one consumer group for every web instance, committed):
//   keeps each incident's intelligence and each borough alert in Redis and
//   counts the borough figures, once per message whatever the replays, so a
//   page can show what was emitted while nobody was watching.
// - The live reader (a group of its own per process, from the end, nothing
//   committed): hands every new intelligence, ranking and alert to this
//   process's open pages (server-sent events), so each instance tells its
//   own viewers.
// A message that does not decode is logged by offset and skipped: these are
// our own topics, read for display; the resolver and scorer dead-letter
// what they cannot take in.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import type { BoroughAlert } from '../../shared/boards/custody-release-alerts.ts';
import { monthOf, type WebStore } from './web-store.ts';

export type TopFiveNotice = { boroughCode: string; generatedAt: number };

export type LiveEvents = {
  intel: [PreArrivalIntelligence];
  topFive: [TopFiveNotice];
  alert: [BoroughAlert];
};

export type LiveHub = EventEmitter<LiveEvents>;

export function createLiveHub(): LiveHub {
  const hub = new EventEmitter<LiveEvents>();
  // One listener per open page: hundreds in a control room is normal.
  hub.setMaxListeners(0);
  return hub;
}

/** Abuse recorded that is not physical violence: what the review asks boroughs to recognise. */
export const NON_VIOLENT_ABUSE = new Set(['COERCIVE_CONTROL', 'PSYCHOLOGICAL', 'EMOTIONAL', 'ECONOMIC', 'STALKING', 'HARASSMENT', 'TECHNOLOGY_FACILITATED']);

export type FilingDeps = { store: WebStore; abuseTypesOf: (incidentId: string) => Promise<string[]> };

/** What one intelligence message adds to the store and the figures (once per incident). */
export async function fileIntel({ store, abuseTypesOf }: FilingDeps, intel: PreArrivalIntelligence): Promise<void> {
  await store.keepIntel(intel);
  if (!(await store.firstTime('intel', intel.incidentId))) return;
  const month = monthOf(intel.receivedAt);
  const borough = intel.boroughCode;
  const latency = Math.max(0, intel.generatedAt - intel.receivedAt);
  const victims = intel.persons.filter((p) => p.roles.includes('VICTIM'));
  await store.count(month, borough, 'calls');
  await store.count(month, borough, 'intelligence');
  await store.count(month, borough, 'intelMsTotal', latency);
  if (latency <= 5_000) await store.count(month, borough, 'intelWithin5s');
  if (victims.some((v) => v.incidentsAllTime > 0)) await store.count(month, borough, 'repeatVictimCalls');
  const abuse = await abuseTypesOf(intel.incidentId);
  if (abuse.some((type) => NON_VIOLENT_ABUSE.has(type))) await store.count(month, borough, 'nonViolentCalls');
}

export async function fileAlert({ store }: Pick<FilingDeps, 'store'>, alert: BoroughAlert): Promise<void> {
  const kept = await store.keepAlert({ alertId: alert.alertId, boroughCode: alert.boroughCode, at: alert.generatedAt, alert: alert as unknown as Record<string, unknown> });
  if (kept) await store.count(monthOf(alert.generatedAt), alert.boroughCode, 'alerts');
}

export type LiveTopics = { stop(): Promise<void>; isJoined(): boolean };

export async function startLiveTopics({
  kafka,
  codec,
  groupId,
  topics,
  filing,
  hub,
  logger,
}: {
  kafka: Kafka;
  codec: Pick<AvroCodec, 'decode'>;
  groupId: string;
  topics: { intelligence: string; topFive: string; alerts: string };
  filing: FilingDeps;
  hub: LiveHub;
  logger: Logger;
}): Promise<LiveTopics> {
  const log = logger.child({ stage: 'web-topics' });
  let joined = false;
  const decode = async (topic: string, partition: number, offset: string, bytes: Buffer | null) => {
    try {
      return (await codec.decode(bytes as Buffer)).value as unknown;
    } catch (error) {
      log.warn({ topic, partition, offset, code: (error as { code?: string }).code }, 'skipped a message that does not decode');
      return undefined;
    }
  };

  const filer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  filer.on(filer.events.GROUP_JOIN, () => (joined = true));
  filer.on(filer.events.CRASH, () => (joined = false));
  await filer.connect();
  await filer.subscribe({ topics: [topics.intelligence, topics.alerts], fromBeginning: true });
  await filer.run({
    // Commit after filing: a crash files again, which the store takes once.
    eachMessage: async ({ topic, partition, message }) => {
      const value = await decode(topic, partition, message.offset, message.value);
      if (value === undefined) return;
      if (topic === topics.intelligence) await fileIntel(filing, value as PreArrivalIntelligence);
      else await fileAlert(filing, value as BoroughAlert);
    },
  });

  // The end of each topic now, before joining: nothing written after this is missed however long the join takes.
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, { partition: number; offset: string }[]>();
  try {
    for (const topic of [topics.intelligence, topics.topFive, topics.alerts]) ends.set(topic, await admin.fetchTopicOffsets(topic));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const live = kafka.consumer({ groupId: `${groupId}-live.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
  await live.connect();
  await live.subscribe({ topics: [...ends.keys()], fromBeginning: false });
  await live.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const value = await decode(topic, partition, message.offset, message.value);
      if (value === undefined) return;
      if (topic === topics.intelligence) hub.emit('intel', value as PreArrivalIntelligence);
      else if (topic === topics.topFive) hub.emit('topFive', { boroughCode: (value as TopFiveNotice).boroughCode, generatedAt: (value as TopFiveNotice).generatedAt });
      else hub.emit('alert', value as BoroughAlert);
    },
  });
  for (const [topic, offsets] of ends) for (const { partition, offset } of offsets) live.seek({ topic, partition, offset });

  return {
    isJoined: () => joined,
    async stop() {
      await Promise.all([live.disconnect().catch(() => undefined), filer.disconnect().catch(() => undefined)]);
    },
  };
}
