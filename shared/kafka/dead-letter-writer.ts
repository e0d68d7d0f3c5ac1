// Where a stage consumer's dead letters go: encoded with the dead-letter
// topic's schema, compressed with DEAD_LETTER_COMPRESSION and written at once
// (not batched: a dead letter is rare, and its offset is committed only once
// it is written).
import type { Producer } from 'kafkajs';
import { valueSubject } from '../contracts/topics.ts';
import type { AvroCodec } from '../schema-registry/avro-codec.ts';
import { DEAD_LETTER_COMPRESSION } from './dead-letter.ts';
import { COMPRESSIONS } from './load-compression.ts';
import type { DeadLetterSink } from './stage-consumer.ts';

export function createDeadLetterWriter({ producer, codec }: { producer: Pick<Producer, 'send'>; codec: Pick<AvroCodec, 'encode'> }): DeadLetterSink {
  return async (topic, key, letter) => {
    // acks -1: written by every in-sync replica (at least min.insync.replicas, deploy/topics.ts) before its offset is committed.
    await producer.send({ topic, acks: -1, compression: COMPRESSIONS[DEAD_LETTER_COMPRESSION], messages: [{ key, value: await codec.encode(valueSubject(topic), letter) }] });
  };
}
