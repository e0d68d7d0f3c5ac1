import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { judgedAt } from './resolve-persons.ts';

const sentAt = (timestamp: string) => ({ message: { timestamp } as KafkaMessage });

describe('the moment a call is judged at', () => {
  const now = Date.UTC(2026, 11, 3, 9, 0, 0);
  it("is the message's Kafka timestamp when this resolver's clock runs behind it (a slow clock refuses nothing)", () => {
    expect(judgedAt(now - 5 * 60_000, sentAt(String(now)))).toBe(now);
  });

  it("is this process's clock when the message was sent earlier (a backlog, a replay)", () => {
    expect(judgedAt(now, sentAt(String(now - 86_400_000)))).toBe(now);
  });

  it('ignores a timestamp that is not a time', () => {
    expect(judgedAt(now, sentAt('not a number'))).toBe(now);
  });
});
