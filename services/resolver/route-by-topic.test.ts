import { describe, expect, it } from 'vitest';
import type { Stage, StageMessage } from '../../shared/kafka/stage-consumer.ts';
import { routeByTopic } from './route-by-topic.ts';

const seen: string[] = [];
const stage = (name: string): Stage<string> => ({
  name,
  decode: async ({ message }) => `${name}:${message.value}`,
  handle: async (value) => void seen.push(value),
  flush: async ({ topic }) => void seen.push(`${name} flushed ${topic}`),
});
const calls = stage('calls');
const justice = stage('justice');
const input = (topic: string, value: string) => ({ topic, partition: 0, message: { value: Buffer.from(value) } }) as unknown as StageMessage;

describe('routeByTopic', () => {
  it('decodes, handles and flushes each message with the stage for its topic', async () => {
    seen.length = 0;
    const routed = routeByTopic({ name: 'resolve', stageFor: (topic) => (topic === 'justice.events.v1' ? justice : topic === 'cad.incidents.v1' ? calls : undefined) });
    for (const message of [input('cad.incidents.v1', 'a'), input('justice.events.v1', 'b')]) await routed.handle(await routed.decode(message), message);
    await routed.flush!({ topic: 'justice.events.v1', partition: 0 });
    expect(seen).toEqual(['calls:a', 'justice:b', 'justice flushed justice.events.v1']);
    expect(routed.name).toBe('resolve');
  });

  it('refuses a topic no stage reads, as a programmer error that is never retried', async () => {
    const routed = routeByTopic({ name: 'resolve', stageFor: () => undefined });
    await expect(routed.decode(input('other.v1', 'x'))).rejects.toThrow(TypeError);
    await expect(routed.flush!({ topic: 'other.v1', partition: 0 })).resolves.toBeUndefined();
  });
});
