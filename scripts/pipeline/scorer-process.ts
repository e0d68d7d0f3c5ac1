// The scorer service as a real child process (services/scorer/main.ts), for
// end-to-end tests: the same program `npm run scorer` runs, with its topics,
// group and namespaces set by environment so runs never share them. Like
// resolver-process.ts, it can be stopped cleanly (SIGTERM) or killed (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '../../shared/config/endpoints.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type ScorerProcess = {
  child: ChildProcess;
  /** Parsed pino lines the process wrote so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
};

export type ScorerProcessOptions = {
  endpoints: Endpoints;
  /** The resolver's graph events (graph.events). */
  inputTopic: string;
  topFiveTopic: string;
  alertsTopic: string;
  groupId: string;
  /** The resolver's graph; the scorer keeps its own keys beside it (config.ts scorerNamespaceFor). */
  graphNamespace: string;
  /** How often it scores again whoever is due, ms. Default 1000. */
  tickMs?: number;
  env?: Record<string, string>;
};

export async function startScorerProcess(opts: ScorerProcessOptions): Promise<ScorerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/scorer/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: opts.endpoints.kafkaBrokers.join(','),
      REDIS_URL: opts.endpoints.redisUrl,
      SCHEMA_REGISTRY_URL: opts.endpoints.schemaRegistryUrl,
      DAUNTLESS_SCORER_TOPIC: opts.inputTopic,
      DAUNTLESS_TOPFIVE_TOPIC: opts.topFiveTopic,
      DAUNTLESS_ALERTS_TOPIC: opts.alertsTopic,
      DAUNTLESS_SCORER_GROUP: opts.groupId,
      DAUNTLESS_GRAPH: opts.graphNamespace,
      DAUNTLESS_SCORER_TICK_MS: String(opts.tickMs ?? 1000),
      // No metrics endpoint: tests run several processes on one machine.
      DAUNTLESS_SCORER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1)));
  let ended: number | string | undefined;
  void exited.then((how) => (ended = how));
  const deadline = Date.now() + 60_000;
  while (!logs.some((l) => l.msg === 'scorer running')) {
    if (ended !== undefined) throw new Error(`the scorer exited (${ended}) before it was running: ${stderr.slice(-2000)} ${JSON.stringify(logs.slice(-3))}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Timed out after 60000 ms waiting for the scorer process to start consuming');
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    child,
    logs,
    exited,
    async kill(signal) {
      if (ended === undefined) child.kill(signal);
      return exited;
    },
  };
}
