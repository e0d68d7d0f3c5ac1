// What a stage's output becomes on Kafka: each message encoded with its
// topic's value schema, sent in the background through the batched sender,
// and kept in the outbox under the input partition that caused it, so that
// partition commits only once Kafka has acknowledged everything it caused.
// A service's topology decides which messages (topics, keys, values); this
// is the one way they go out.
import type { AvroCodec } from '../schema-registry/avro-codec.ts';
import { valueSubject } from '../contracts/topics.ts';
import type { BatchedSender, PartitionOutbox } from './batched-sender.ts';

export type OutputMessage = {
  topic: string;
  key: string;
  /** The decoded value, as the topic's schema reads it. */
  value: unknown;
  /** Runs once Kafka has acknowledged this message (a metric, a mark in Redis); a failure fails the partition's flush. */
  acknowledged?: () => Promise<void> | void;
};

export type StageOutput = {
  /**
   * Encodes the messages caused by an input message of `where` (a registry failure throws here, in the stage's
   * handle, where the error policy decides), then sends them in the background.
   */
  emit(where: { topic: string; partition: number }, messages: readonly OutputMessage[]): Promise<void>;
  /** Every message of that send, acknowledged (Stage.flush). */
  flush: PartitionOutbox['flush'];
  /** Sends messages no input message caused (a timer's), and waits until each is acknowledged. */
  send(messages: readonly OutputMessage[]): Promise<void>;
};

export function createStageOutput({ codec, sender, outbox }: { codec: Pick<AvroCodec, 'encode'>; sender: BatchedSender; outbox: PartitionOutbox }): StageOutput {
  async function sending(messages: readonly OutputMessage[]): Promise<Promise<void>[]> {
    const encoded = await Promise.all(messages.map((m) => codec.encode(valueSubject(m.topic), m.value)));
    return messages.map(({ topic, key, acknowledged }, i) => sender.send(topic, { key, value: encoded[i]! }).then(async () => void (await acknowledged?.())));
  }
  return {
    async emit(where, messages) {
      for (const sent of await sending(messages)) outbox.add(where, sent);
    },
    flush: outbox.flush,
    async send(messages) {
      await Promise.all(await sending(messages));
    },
  };
}
