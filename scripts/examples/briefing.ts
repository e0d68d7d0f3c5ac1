// `npm run example:briefing`: the example LPT briefing committed under
// docs/examples/, regenerated. ALL DATA SYNTHETIC.
//
// Eighteen months of simulated London calls (fixed seed) are resolved onto a
// fresh graph in Redis and scored as they arrive (scripts/examples/
// simulated-london.ts). A week before the end, Lambeth's LPT is briefed; in
// the last week custody and the courts add what they do: the leader is
// released on bail with conditions, the second breaches a DVPO, and the sixth
// is convicted of stalking the calls never showed, which takes them into the
// five; then the LPT is briefed again, and that briefing, with its change since the
// first, is written as Markdown and HTML. The graph and boards are removed
// afterwards. Needs the local stack's Redis (`npm run stack:up`).
//
// Usage: npm run example:briefing [-- --borough CODE] [--out-dir DIR]
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../../shared/redis/redis-connection.ts';
import { loadEndpoints } from '../../shared/config/endpoints.ts';
import { boroughByCode } from '../../shared/geography/boroughs.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { wrapDetail, type JusticeEvent } from '../../shared/contracts/justice-event.ts';
import { victimsOf } from '../../shared/boards/custody-release-alerts.ts';
import { formatBriefing } from '../../shared/briefing/briefing-format.ts';
import { briefingModel } from '../../shared/briefing/briefing-model.ts';
import { boroughCodeOf } from '../../services/cli/briefing.ts';
import { DEFAULT_HARM_CONFIG } from '../../shared/harm/harm-config.ts';
import { asRecorded, createSimulatedLondon, simulatedCalls } from './simulated-london.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DAY = 86_400_000;
/** The briefing's moment: Wednesday 25 Nov 2026, 09:00 London (GMT), the morning briefing. Fixed, so the file is the same each run. */
const END = Date.UTC(2026, 10, 25, 9, 0, 0);
const FIRST_BRIEFING = END - 7 * DAY;
const SEED = 'dauntless-example-briefing';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const boroughCode = boroughCodeOf(option(args, '--borough') ?? 'E09000022');
  if (!boroughCode) throw new TypeError('--borough must be the ONS code or name of a Met borough');
  const outDir = resolve(option(args, '--out-dir') ?? join(REPO_ROOT, 'docs', 'examples'));
  const logger = createLogger('example', { level: process.env.LOG_LEVEL ?? 'warn' });
  const endpoints = loadEndpoints();
  const redis = createRedis({ connection: loadRedisConnection({ ...process.env, REDIS_URL: endpoints.redisUrl }, REDIS_USER.admin), logger });
  const namespace = `dauntless-example.${randomBytes(4).toString('hex')}:{ex}`;
  const london = createSimulatedLondon({ redis, namespace, codec: createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth('dauntless-operator') }), logger });
  const say = (text: string) => process.stderr.write(`${text}\n`);
  try {
    const { calls, population } = simulatedCalls({ seed: SEED, calls: 2_400, days: 540, end: END - 1000, persons: 8_000 });
    say(`example briefing: ${calls.length} simulated calls over 18 months onto graph ${namespace} ...`);
    const lastWeek = calls.filter((c) => c.incident.receivedAt > FIRST_BRIEFING);
    for (const c of calls.filter((c) => c.incident.receivedAt <= FIRST_BRIEFING)) await london.call(c.incident, c.truth);
    await london.advance(FIRST_BRIEFING);
    const first = await briefingModel({ graph: london.graph, board: london.board, briefings: london.briefings, harm: DEFAULT_HARM_CONFIG, boroughCode, at: FIRST_BRIEFING });
    await london.briefings.keepBriefing(boroughCode, first.kept);
    say(`  first briefing of ${boroughByCode(boroughCode)!.name} on ${new Date(FIRST_BRIEFING).toISOString()}: ${first.model.topFive.map((p) => p.entityId).join(', ')}`);

    // The week: calls, and what custody and the courts do about the two who lead the borough.
    const justiceAt = END - 3 * DAY;
    for (const c of lastWeek.filter((c) => c.incident.receivedAt <= justiceAt)) await london.call(c.incident, c.truth);
    await london.advance(justiceAt);
    // Who stands where now, six deep: the sixth is the one a conviction can lift into the five.
    const six = (await briefingModel({ graph: london.graph, board: london.board, briefings: london.briefings, harm: DEFAULT_HARM_CONFIG, boroughCode, at: justiceAt, n: 6 })).model.topFive.map((p) => p.entityId);
    const histories = await london.graph.histories([six[0]!, six[1]!, six[5] ?? six[0]!]);
    const personOf = (entityId: string) => {
      const id = london.personOf(entityId);
      return id ? population.byId.get(id) : undefined;
    };
    const events: JusticeEvent[] = [];
    histories.forEach((history, i) => {
      const perpetrator = personOf(history.entityId);
      const victims = victimsOf(history).flatMap((v) => personOf(v) ?? []);
      if (!perpetrator || !victims.length) return;
      const subject = asRecorded(perpetrator);
      const relatedPersons = victims.slice(0, 1).map(asRecorded);
      const base = { boroughCode, incidentId: null, subject, relatedPersons };
      if (i === 0) {
        // The leader: arrested after the last call, released on pre-charge bail with conditions.
        const at = justiceAt - 6 * 3_600_000;
        events.push({
          ...base,
          eventId: `EX-REL-${i}`,
          occurredAt: at,
          recordedAt: at + 600_000,
          detail: wrapDetail('CustodyRelease', {
            releaseType: 'PRE_CHARGE_BAIL',
            bailExpiresAt: at + 90 * DAY,
            bailConditions: [
              { kind: 'NO_CONTACT', description: 'not to contact the victim directly or indirectly', expiresAt: null },
              { kind: 'EXCLUSION_ZONE', description: "not to enter the road where the victim lives", expiresAt: null },
              { kind: 'CURFEW', description: 'curfew 19:00 to 07:00 at his bail address', expiresAt: at + 28 * DAY },
            ],
          }),
        });
      } else if (i === 2) {
        // The sixth: convicted of stalking that no call showed (its harm counts from the day of the conviction).
        if (history.entityId === six[0]) return;
        const at = justiceAt - 2 * 3_600_000;
        events.push({ ...base, eventId: `EX-CONV-${i}`, occurredAt: at, recordedAt: at + 600_000, detail: wrapDetail('ChargeOutcome', { offences: ['Stalking (s4A PHA 1997)'], outcome: 'CONVICTED' }) });
      } else {
        // The second: a DVPO, then its breach.
        const issued = justiceAt - 20 * DAY;
        events.push({
          ...base,
          eventId: `EX-DVPO-${i}`,
          occurredAt: issued,
          recordedAt: issued + 3_600_000,
          detail: wrapDetail('ProtectiveOrder', { orderId: `DVPO-EX-${i}`, orderType: 'DVPO', action: 'ISSUED', startsAt: issued, expiresAt: issued + 28 * DAY, conditions: ['not to contact the protected person', 'not to come within 100 metres of her home'] }),
        });
        events.push({
          ...base,
          eventId: `EX-BREACH-${i}`,
          occurredAt: justiceAt - 3_600_000,
          recordedAt: justiceAt,
          detail: wrapDetail('ProtectiveOrder', { orderId: `DVPO-EX-${i}`, orderType: 'DVPO', action: 'BREACHED', startsAt: issued, expiresAt: issued + 28 * DAY, conditions: [] }),
        });
      }
    });
    for (const e of events.sort((a, b) => a.occurredAt - b.occurredAt)) await london.justice(e);
    for (const c of lastWeek.filter((c) => c.incident.receivedAt > justiceAt)) await london.call(c.incident, c.truth);
    await london.advance(END);

    const second = await briefingModel({ graph: london.graph, board: london.board, briefings: london.briefings, harm: DEFAULT_HARM_CONFIG, boroughCode, at: END });
    await mkdir(outDir, { recursive: true });
    for (const format of ['md', 'html'] as const) {
      const file = join(outDir, `briefing-${boroughCode}.${format}`);
      await writeFile(file, formatBriefing(second.model, format));
      say(`  wrote ${file}`);
    }
    say(`  second briefing on ${new Date(END).toISOString()}: ${second.model.topFive.map((p) => p.entityId).join(', ')}; ${events.length} justice events added`);
    return 0;
  } finally {
    await london.clear();
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`example:briefing: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
