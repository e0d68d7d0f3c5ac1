// One stage made of several, each message going to the stage for its topic:
// so one consumer group reads calls and justice events, in one process and
// one partition order per topic. A topic with no stage is a wiring mistake
// (TypeError, never retried: the stage consumer dead-letters the message and
// logs it). Pure: no Kafka, no Redis.
import type { Stage, StageMessage } from '../../shared/kafka/stage-consumer.ts';

export type Routed = { stage: Stage<any>; value: unknown };

export function routeByTopic({ name, stageFor }: { name: string; stageFor: (topic: string) => Stage<any> | undefined }): Stage<Routed> {
  const route = (topic: string): Stage<any> => {
    const stage = stageFor(topic);
    if (!stage) throw new TypeError(`no stage reads topic ${topic}`);
    return stage;
  };
  return {
    name,
    async decode(input: StageMessage) {
      const stage = route(input.topic);
      return { stage, value: await stage.decode(input) };
    },
    async handle({ stage, value }, input) {
      await stage.handle(value, input);
    },
    orderKeys: ({ stage, value }) => stage.orderKeys?.(value) ?? [],
    async flush(where) {
      await stageFor(where.topic)?.flush?.(where);
    },
  };
}
