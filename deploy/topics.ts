// The one declared list of Dauntless topics and their value schemas.
// `npm run stack:up` (deploy/provision.ts) creates these on the local broker and
// registers the schemas; docker-compose.yml runs the same provisioning, so
// both stacks have exactly this set. Auto-creation is off on the broker.
// The names themselves are shared/contracts/topics.ts.
import { TOPIC } from '../shared/contracts/topics.ts';


import { DEAD_LETTER_MAX_BYTES, INPUT_MAX_BYTES } from '../shared/kafka/dead-letter.ts';

export type TopicDeclaration = {
  /** Kafka topic name. Versioned (`.v1`): a breaking change is a new topic. */
  name: string;
  /** What flows on it, in the users' words. */
  purpose: string;
  /** Message key: what orders the stream (all messages of one key share a partition). */
  key: string;
  partitions: number;
  /** Copies of each partition on a real cluster (deploy/provision.ts uses fewer only where the cluster has fewer brokers). */
  replicationFactor: number;
  /** Topic-level configs (Kafka names and string values). */
  config: Record<string, string>;
  /** Avro schema file in schemas/ for the value, registered as subject `<name>-value`; null: none registered yet. */
  valueSchema: string | null;
};

const DAY_MS = 24 * 60 * 60 * 1000;

// An input topic takes Kafka's default largest message; its dead-letter
// topic twice that, so the letter of the largest input (the input, byte for
// byte, in an envelope) always fits (shared/kafka/dead-letter.ts).
const INPUT_LIMIT = { 'max.message.bytes': String(INPUT_MAX_BYTES) };
const DEAD_LETTER_LIMIT = { 'max.message.bytes': String(DEAD_LETTER_MAX_BYTES) };

// On a real cluster every topic is kept on three brokers, and a write
// (producers send with acks=all) is acknowledged only once two of them hold
// it: a broker lost loses nothing acknowledged, and writes go on while one is
// down. A cluster of fewer brokers (the local single broker) is the
// exception, which deploy/provision.ts says aloud.
export const REPLICATION_FACTOR = 3;
export const MIN_INSYNC_REPLICAS = 2;
const REPLICATED = { 'min.insync.replicas': String(MIN_INSYNC_REPLICAS) };

// Six partitions: enough for three resolver instances with headroom, cheap on one broker.
export const STREAM_PARTITIONS = 6;

export const TOPICS: readonly TopicDeclaration[] = Object.freeze<TopicDeclaration[]>([
  {
    name: TOPIC.incidents,
    purpose: 'Incidents reported by call handling (CAD)',
    key: 'incident id (call reference)',
    partitions: STREAM_PARTITIONS,
    replicationFactor: REPLICATION_FACTOR,
    // 30 days: long enough to rebuild the graph after an outage; the graph, not the topic, is the history.
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS), ...INPUT_LIMIT },
    valueSchema: 'incident-reported.avsc',
  },
  {
    name: TOPIC.justiceEvents,
    purpose: 'Arrests, charges, custody releases, orders, DASH, MARAC, Clare\'s Law',
    key: 'subject reference',
    partitions: STREAM_PARTITIONS,
    replicationFactor: REPLICATION_FACTOR,
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS), ...INPUT_LIMIT },
    valueSchema: 'justice-event.avsc',
  },
  {
    name: TOPIC.intelligence,
    purpose: 'Pre-arrival intelligence for the control room',
    key: 'incident id',
    partitions: STREAM_PARTITIONS,
    replicationFactor: REPLICATION_FACTOR,
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS) },
    valueSchema: 'pre-arrival-intelligence.avsc',
  },
  {
    name: TOPIC.graphEvents,
    purpose: 'Each incident and justice event recorded on the identity graph, with the entity of each party: what the scorer re-scores',
    key: 'ONS borough code (event id when none)',
    partitions: STREAM_PARTITIONS,
    replicationFactor: REPLICATION_FACTOR,
    // As long as the inputs: a scorer can be rebuilt from the same days as the graph's inputs.
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS), ...INPUT_LIMIT },
    valueSchema: 'graph-event-recorded.avsc',
  },
  {
    name: TOPIC.topFive,
    purpose: 'Top five highest-harm perpetrators per borough, on every change',
    key: 'ONS borough code',
    partitions: STREAM_PARTITIONS,
    replicationFactor: REPLICATION_FACTOR,
    // Compacted: a reader starting cold gets each borough's latest ranking.
    config: { ...REPLICATED, 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(60 * 60 * 1000) },
    valueSchema: 'top-five-changed.avsc',
  },
  {
    name: TOPIC.alerts,
    purpose: 'Alerts for a borough\'s local policing team, e.g. a perpetrator with victims there released from custody, with the bail conditions',
    key: 'ONS borough code',
    partitions: STREAM_PARTITIONS,
    replicationFactor: REPLICATION_FACTOR,
    // Not compacted: every alert counts, not only a borough's latest.
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS) },
    valueSchema: 'borough-alert.avsc',
  },
  {
    name: TOPIC.audit,
    purpose: 'The s62 audit log: every collection, alteration, consultation, disclosure, combination and erasure, with who, when, what (ids) and why',
    key: 'entry id',
    partitions: 1,
    replicationFactor: REPLICATION_FACTOR,
    // Kept for ever on the topic (a force archives it by its own retention rule); never compacted: every entry counts.
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' },
    valueSchema: 'audit-entry.avsc',
  },
  {
    name: TOPIC.incidentsDeadLetters,
    purpose: 'Incidents that failed to decode or validate, with the original bytes and the reason',
    key: 'original key',
    partitions: 1,
    replicationFactor: REPLICATION_FACTOR,
    // 90 days: a dead letter waits for a person to look at it and replay it.
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(90 * DAY_MS), ...DEAD_LETTER_LIMIT },
    valueSchema: 'dead-letter.avsc',
  },
  {
    name: TOPIC.justiceEventsDeadLetters,
    purpose: 'Justice events that failed to decode or validate',
    key: 'original key',
    partitions: 1,
    replicationFactor: REPLICATION_FACTOR,
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(90 * DAY_MS), ...DEAD_LETTER_LIMIT },
    valueSchema: 'dead-letter.avsc',
  },
  {
    name: TOPIC.graphEventsDeadLetters,
    purpose: 'Graph events the scorer could not read (a resolver writing a schema the scorer does not know)',
    key: 'original key',
    partitions: 1,
    replicationFactor: REPLICATION_FACTOR,
    config: { ...REPLICATED, 'cleanup.policy': 'delete', 'retention.ms': String(90 * DAY_MS), ...DEAD_LETTER_LIMIT },
    valueSchema: 'dead-letter.avsc',
  },
]);

