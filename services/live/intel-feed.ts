// The main job's reader of pre-arrival intelligence: dispatch.intel.v1 from
// the end it had when the feed started, each value decoded through the
// schema registry and handed to `onIntel`. Like `dauntless tail`, it reads in
// a consumer group of its own, fresh each run, and commits nothing, so it
// never moves a real group's position. A message that will not decode goes
// to `onUndecodable` and the feed goes on.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';

export type IntelFeed = {
  /** Leaves the group and disconnects. */
  stop(): Promise<void>;
};

export type StartIntelFeedOptions = {
  kafka: Kafka;
  codec: Pick<AvroCodec, 'decode'>;
  topic: string;
  onIntel: (intel: PreArrivalIntelligence) => void;
  onUndecodable: (error: Error, where: { partition: number; offset: string }) => void;
};

export async function startIntelFeed({ kafka, codec, topic, onIntel, onUndecodable }: StartIntelFeedOptions): Promise<IntelFeed> {
  // The end of every partition now, read before the group joins: a message
  // written after this call is seen however long the join takes.
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; offset: string }[];
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }

  const groupId = `dauntless-live.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}`;
  // A short fetch wait: intelligence shows within tens of ms of being sent.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          const { value } = await codec.decode(message.value as Buffer);
          onIntel(value as PreArrivalIntelligence);
        } catch (error) {
          onUndecodable(error as Error, { partition, offset: message.offset });
        }
      },
    });
    // Applied at the first fetch of each partition; nothing is committed (autoCommit off).
    for (const { partition, offset } of ends) consumer.seek({ topic, partition, offset });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }

  return {
    async stop() {
      await consumer.disconnect();
    },
  };
}
