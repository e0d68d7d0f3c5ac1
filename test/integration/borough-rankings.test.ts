// Every borough's five at once (boroughRankings, the leads' page) against a
// real Redis holding a simulated London: the same people, places and scores
// as each borough's briefing ranks them (briefingModel, every candidate
// scored afresh), borough by borough: with the boards up to date, and months
// later, when time alone has changed many standings the boards still hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boroughRankings, briefingModel } from '../../shared/briefing/briefing-model.ts';
import { BOROUGHS } from '../../shared/geography/boroughs.ts';
import { DEFAULT_HARM_CONFIG } from '../../shared/harm/harm-config.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createSimulatedLondon, simulatedCalls } from '../../scripts/examples/simulated-london.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { adminRedis } from '../helpers/redis.ts';
import { uniqueName } from '../helpers/unique.ts';

const endpoints = testEndpoints();
const redis = adminRedis();
const london = createSimulatedLondon({ redis, namespace: `${uniqueName('borough-rankings')}:{g}`, codec: createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() }), logger: createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' }) });
const DAY = 86_400_000;
const now = Date.now();

beforeAll(async () => {
  const { calls } = simulatedCalls({ seed: 'borough-rankings', calls: 300, days: 200, end: now - DAY, persons: 2_500 });
  for (const c of calls) await london.call(c.incident, c.truth);
  await london.advance(now);
}, 180_000);

afterAll(async () => {
  await london.clear();
  redis.disconnect();
});

describe('every borough at once', () => {
  const sameAsBriefings = async (at: number) => {
    const deps = { graph: london.graph, board: london.board, harm: DEFAULT_HARM_CONFIG, at };
    const all = await boroughRankings({ ...deps, boroughCodes: BOROUGHS.map((b) => b.code) });
    expect(all.map((r) => r.boroughCode)).toEqual(BOROUGHS.map((b) => b.code));
    for (const { boroughCode, ranked } of all) {
      const { model } = await briefingModel({ ...deps, briefings: london.briefings, boroughCode });
      expect(ranked.map((p) => [p.rank, p.entityId])).toEqual(model.topFive.map((p) => [p.rank, p.entityId]));
      ranked.forEach((p, i) => expect(p.score).toBeCloseTo(model.topFive[i]!.score, 9));
    }
    return all;
  };

  it('ranks each borough as its briefing does', async () => {
    expect((await london.board.due(now)).length).toBe(0);
    const all = await sameAsBriefings(now);
    expect(all.filter((r) => r.ranked.length > 0).length).toBeGreaterThan(5);
  });

  it('scores afresh whoever time alone has changed since the boards were scored', async () => {
    const later = now + 250 * DAY;
    expect((await london.board.due(later)).length).toBeGreaterThan(10);
    await sameAsBriefings(later);
  });
});
