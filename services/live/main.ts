// The main job (`npm start`, after the stack is up): the resolver service as
// a child process, a simulated history so repeat victims show from the first
// minutes, then live calls, and the pre-arrival intelligence of each live
// call printed as it is emitted. A thin composition of existing pieces:
//
//   service-child (services/resolver/main.ts)   logs -> .stack/logs/live-resolver.log
//   scorer child (services/scorer/main.ts)       logs -> .stack/logs/live-scorer.log
//       the top five per borough, live: `npx dauntless tail topfive`, `npx dauntless briefing`
//   createCallStream -> produceCalls             cad.incidents.v1; truth -> .stack/live-truth.jsonl
//       history: simulated clock over 18 months, sent fast; then the same
//       stream on the live clock at a gentle rate
//   startIntelFeed (dispatch.intel.v1, from its end now) -> intelPhase
//       history: counted (seeding progress); live: printed; earlier: skipped
//
// Ctrl-C, SIGTERM or --for end it: the simulator, then the feed, then the
// resolver (SIGTERM, waited for). The stack keeps running. Exit 0 when it
// stopped as asked; 1 when something failed (said above); 2 for bad options.
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describeSignIn } from '../../shared/config/sign-in.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createCallStream, DEFAULT_HORIZON_CALLS, type IncidentTruth } from '../../shared/synth/call-stream.ts';
import { useColour } from '../../shared/format/intel-format.ts';
import { produceCalls } from '../../shared/synth/produce-calls.ts';
import { HISTORY_SEND_RATE, HISTORY_SPAN_DAYS, INCIDENT_TOPIC, INTEL_TOPIC, loadLiveConfig, usage, wantsHelp, type LiveConfig } from './config.ts';
import { bannerLines, webRunningLines, describeLogLine, feedEntry, resolverRunningLine, seedingDoneLine, startFailure, seedingProgressLine, shownPath, stopLines } from './feed-text.ts';
import { startIntelFeed, type IntelFeed } from './intel-feed.ts';
import { intelPhase } from './intel-phase.ts';
import { createScreen } from './screen.ts';
import { onUnexpectedExit, startServiceChild, type ServiceChild } from './service-child.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';
import { withoutKafkaLogin } from '../../shared/config/kafka-security.ts';

/** What the resolver announces and the scorer reads. */
const GRAPH_EVENTS_TOPIC = TOPIC.graphEvents;
const SCORER = { script: 'services/scorer/main.ts', ready: 'scorer running', name: 'scorer' };
const WEB = { script: 'services/web/main.ts', ready: 'web running', name: 'web' };

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Seeding goes live without the missing answers when no intelligence at all has come for this long, ms. */
const SEEDING_STALL_MS = 60_000;
/** How often the seeding progress line is redrawn, ms. */
const PROGRESS_EVERY_MS = 250;
/** A resolver that ends while nothing asked it to is a failure, unless a signal reaches this process within this long, ms (Ctrl-C reaches both). */
const EXIT_GRACE_MS = 500;
/** On stopping, how long the feed waits for the answers to live calls already sent, ms. */
const DRAIN_MS = 1_500;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (wantsHelp(args)) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  let config: LiveConfig;
  let resolverEnv: NodeJS.ProcessEnv;
  try {
    config = loadLiveConfig({ args });
    // The normal topics, whatever the environment says: the simulator writes and the feed reads these.
    // Scoring: the resolver announces what it records on graph.events.v1, for the scorer beside it.
    // The children log in as their own principals (dauntless-resolver, dauntless-scorer), never as this job.
    resolverEnv = { ...withoutKafkaLogin(process.env), DAUNTLESS_RESOLVER_TOPICS: INCIDENT_TOPIC, DAUNTLESS_INTEL_TOPIC: INTEL_TOPIC, DAUNTLESS_GRAPH_EVENTS_TOPIC: GRAPH_EVENTS_TOPIC };
  } catch (error) {
    process.stderr.write(`npm start: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }

  const liveSinceMs = Date.now();
  const colour = useColour(process.stdout);
  const screen = createScreen({ out: process.stdout });
  const cwd = process.cwd();
  await mkdir(dirname(config.liveLogFile), { recursive: true });
  // This job's own log (kafkajs warnings, undecodable messages): ids and counts only.
  const logger = pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'live', runId: config.runId }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: config.liveLogFile, sync: true, append: false }),
  );

  screen.print(
    bannerLines(
      {
        incidentTopic: INCIDENT_TOPIC,
        intelTopic: INTEL_TOPIC,
        history: config.history,
        historySpanDays: HISTORY_SPAN_DAYS,
        rate: config.rate,
        seed: config.seed,
        runId: config.runId,
        seconds: config.seconds,
        resolverLogFile: config.resolverLogFile,
        liveLogFile: config.liveLogFile,
        truthFile: config.truthFile,
        cwd,
      },
      { colour },
    ).join('\n') + '\n',
  );
  // Where the web app's people sign in (the stack's Keycloak and its seeded users), when the stack has one.

  // ------------------------------------------------------------ stopping
  const stopping = new AbortController();
  let failed = false;
  const fail = (message: string, lines: string[] = []) => {
    if (failed) return;
    failed = true;
    screen.endStatus();
    screen.print([`npm start: ${message}`, ...lines.map((line) => `  | ${describeLogLine(line)}`)].join('\n'));
    logger.error({ reason: message }, 'failed');
    stopping.abort();
  };
  let resolver: ServiceChild | undefined;
  let scorer: ServiceChild | undefined;
  let web: ServiceChild | undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      // A second Ctrl-C: do not wait for a clean stop.
      screen.print(`${signal} again: killing the resolver and leaving now`);
      process.exit(130);
    }
    screen.endStatus();
    screen.print(`${signal}: stopping the simulator, the feed and the resolver ...`);
    stopping.abort();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // Whatever happens, no resolver or scorer outlives this process.
  process.on('exit', () => {
    for (const child of [resolver, scorer, web]) {
      if (child && !child.hasExited()) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
  const timeLimit =
    config.seconds === undefined
      ? undefined
      : setTimeout(() => {
          screen.endStatus();
          screen.print(`${config.seconds} s are up: stopping the simulator, the feed and the resolver ...`);
          stopping.abort();
        }, config.seconds * 1000);

  let feed: IntelFeed | undefined;
  const kafka = createKafka({ brokers: config.endpoints.kafkaBrokers, clientId: 'dauntless-live', logger, security: config.kafkaSecurity });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  let producerConnected = false;
  let truth: WriteStream | undefined;
  const live = { sent: 0, answered: 0, withHistory: 0 };

  try {
    // ------------------------------------------------------------ the resolver, then the scorer beside it
    const children = [
      { name: 'resolver', env: resolverEnv, logFile: config.resolverLogFile, portVariable: 'DAUNTLESS_METRICS_PORT', service: undefined, running: (c: ServiceChild) => resolverRunningLine(c.pid, c.ready) },
      {
        name: 'scorer',
        env: { ...resolverEnv, DAUNTLESS_SCORER_TOPIC: GRAPH_EVENTS_TOPIC },
        logFile: config.scorerLogFile,
        portVariable: 'DAUNTLESS_SCORER_METRICS_PORT',
        service: SCORER,
        running: (c: ServiceChild) => `scorer running (pid ${c.pid}): the top five per borough in another terminal with \`npx dauntless login\` (as a lead) then \`npx dauntless tail topfive\`, a briefing with \`npx dauntless briefing --borough E09000022\``,
      },
      {
        name: 'web',
        env: resolverEnv,
        logFile: config.webLogFile,
        portVariable: 'DAUNTLESS_WEB_PORT',
        service: WEB,
        running: (c: ServiceChild) => webRunningLines(c.ready, describeSignIn()).join('\n'),
      },
    ];
    for (const spec of children) {
      screen.print(`starting the ${spec.name} ...`);
      let child: ServiceChild;
      try {
        child = await startServiceChild({ cwd: REPO_ROOT, env: spec.env, logFile: spec.logFile, ...(spec.service ? { service: spec.service } : {}) });
      } catch (error) {
        // Ctrl-C reaches the children too: stopped while starting is not a failure.
        if (stopping.signal.aborted) return failed ? 1 : 0;
        const { message, lines } = startFailure(spec.name, error, shownPath(spec.logFile, cwd), spec.portVariable);
        fail(message, lines);
        return 1;
      }
      if (spec.name === 'resolver') resolver = child;
      else if (spec.name === 'scorer') scorer = child;
      else web = child;
      screen.print(spec.running(child));
      onUnexpectedExit(child, stopping.signal, EXIT_GRACE_MS, (how) =>
        fail(`the ${spec.name} stopped unexpectedly (${how.signal ?? `exit code ${how.code}`}); its log is ${shownPath(spec.logFile, cwd)}. Last lines:`, child.lastLines().slice(-12)),
      );
      if (stopping.signal.aborted) return failed ? 1 : 0;
    }

    // ------------------------------------------------------------ Kafka: producer and feed
    const codec = createAvroCodec({ url: config.endpoints.schemaRegistryUrl, auth: config.registryAuth });
    await producer.connect();
    producerConnected = true;

    const historyIds = new Set<string>();
    const answeredHistory = new Set<string>();
    let earlier = 0;
    let lastIntelAt = Date.now();
    feed = await startIntelFeed({
      kafka,
      codec,
      topic: INTEL_TOPIC,
      onIntel: (intel) => {
        lastIntelAt = Date.now();
        const phase = intelPhase(intel, { historyIds, liveSinceMs });
        if (phase === 'history') answeredHistory.add(intel.incidentId);
        else if (phase === 'earlier') earlier++;
        else {
          live.answered++;
          if (intel.hasHistory) live.withHistory++;
          screen.print(`${feedEntry(intel, { colour })}\n`);
        }
      },
      onUndecodable: (error, where) => logger.warn({ err: error, topic: INTEL_TOPIC, ...where }, 'intelligence message did not decode; skipped'),
    });

    // ------------------------------------------------------------ the call stream
    screen.print(`building a synthetic population of ${config.persons.toLocaleString('en-GB')} (seed ${config.seed}) ...`);
    const stream = createCallStream({
      seed: config.seed,
      persons: config.persons,
      asOf: new Date(liveSinceMs),
      runId: config.runId,
      // Later calls of a relationship are planned over the history's length, so many fall due in the live calls.
      horizonCalls: config.history > 0 ? config.history : DEFAULT_HORIZON_CALLS,
      ...(config.history > 0
        ? { start: new Date(liveSinceMs - config.historySpanMs), meanGapMs: config.historySpanMs / config.history }
        : { start: new Date(liveSinceMs), rate: config.rate }),
    });
    await mkdir(dirname(config.truthFile), { recursive: true });
    const truthFile = (truth = (await open(config.truthFile, 'w')).createWriteStream({ encoding: 'utf8' }));
    const truthSink = async (t: IncidentTruth) => {
      if (!truthFile.write(JSON.stringify(t) + '\n')) await once(truthFile, 'drain');
    };

    // ------------------------------------------------------------ seeding the history
    if (config.history > 0 && !stopping.signal.aborted) {
      const seedingStarted = Date.now();
      let sent = 0;
      let allSent = false;
      const progress = () => ({ answered: answeredHistory.size, sent, total: config.history, seconds: (Date.now() - seedingStarted) / 1000, earlier });
      const redraw = setInterval(() => screen.status(seedingProgressLine(progress())), PROGRESS_EVERY_MS);
      // Each id is recorded before its call is sent, so its answer cannot come first.
      const recording = {
        next: () => {
          const call = stream.next();
          historyIds.add(call.incident.incidentId);
          return call;
        },
      };
      try {
        await produceCalls({
          producer,
          codec,
          topic: INCIDENT_TOPIC,
          compression: config.compression,
          stream: recording,
          rate: HISTORY_SEND_RATE,
          count: config.history,
          clock: 'simulated',
          signal: stopping.signal,
          onSent: () => void sent++,
          truthSink,
        });
        allSent = true;
        const sentAt = Date.now();
        let stalled = false;
        // Live calls wait for the history's answers: on another partition, a live call could otherwise be resolved before the victim's history.
        while (!stopping.signal.aborted && answeredHistory.size < sent) {
          if (Date.now() - Math.max(lastIntelAt, sentAt) > SEEDING_STALL_MS) {
            stalled = true;
            break;
          }
          await sleep(50);
        }
        if (!stopping.signal.aborted) screen.endStatus(seedingDoneLine({ ...progress(), stalled }));
      } catch (error) {
        fail(`sending the history stopped after ${sent} calls${allSent ? '' : ` of ${config.history}`}: ${(error as Error).message}`);
      } finally {
        clearInterval(redraw);
        screen.endStatus();
      }
    }

    // ------------------------------------------------------------ live calls
    if (!stopping.signal.aborted) {
      const pace = config.rate === 1 ? '1 call a second' : `${config.rate} calls a second`;
      screen.print(`live calls: ${pace}; each call's pre-arrival intelligence follows as it is emitted\n`);
      // From now on the stream's own clock is today's, so incident ids and typed ages are today's too.
      stream.repace({ from: new Date(), meanGapMs: 1000 / config.rate });
      try {
        await produceCalls({
          producer,
          codec,
          topic: INCIDENT_TOPIC,
          compression: config.compression,
          stream,
          rate: config.rate,
          // Until stopped: the signal ends the run.
          count: Number.MAX_SAFE_INTEGER,
          clock: 'live',
          signal: stopping.signal,
          onSent: () => void live.sent++,
          truthSink,
        });
      } catch (error) {
        fail(`sending live calls stopped after ${live.sent}: ${(error as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  } catch (error) {
    fail((error as Error).message);
    return 1;
  } finally {
    // ------------------------------------------------------------ stop, in order
    if (timeLimit) clearTimeout(timeLimit);
    stopping.abort();
    // The last live calls sent may still be answered: wait a moment for them (not after a failure).
    const drainUntil = Date.now() + DRAIN_MS;
    while (feed && !failed && resolver && !resolver.hasExited() && live.answered < live.sent && Date.now() < drainUntil) await sleep(50);
    await feed?.stop().catch((error: Error) => logger.warn({ err: error }, 'feed did not stop cleanly'));
    if (producerConnected) await producer.disconnect().catch(() => undefined);
    if (truth) {
      truth.end();
      await once(truth, 'close').catch(() => undefined);
    }
    if (web) {
      const how = await web.stop();
      if (how.code !== 0 && !failed) screen.print(`the web service did not stop cleanly (${how.signal ?? `exit code ${how.code}`}); its log is ${shownPath(config.webLogFile, cwd)}`);
    }
    if (scorer) {
      const how = await scorer.stop();
      if (how.code !== 0 && !failed) screen.print(`the scorer did not stop cleanly (${how.signal ?? `exit code ${how.code}`}); its log is ${shownPath(config.scorerLogFile, cwd)}`);
    }
    if (resolver) {
      const how = await resolver.stop();
      if (how.code !== 0 && !failed) screen.print(`the resolver did not stop cleanly (${how.signal ?? `exit code ${how.code}`}); its log is ${shownPath(config.resolverLogFile, cwd)}`);
      screen.print(stopLines(live, { failed }).join('\n'));
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
