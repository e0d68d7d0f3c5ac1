// The resolver service as a real child process (services/resolver/main.ts),
// for end-to-end tests, the pipeline evaluation and the benchmarks: the same
// program `npm start` runs, with its topics, group and graph namespace set by
// environment so runs never share them. A process can be stopped cleanly
// (SIGTERM) or killed mid-stream (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '../../shared/config/endpoints.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function waitUntil(description: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

export type ResolverProcess = {
  child: ChildProcess;
  /** Parsed pino lines the process wrote so far. */
  logs: Record<string, unknown>[];
  /** Where its Prometheus metrics are served. */
  metricsUrl: string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
};

export type ResolverProcessOptions = {
  endpoints: Endpoints;
  inputTopic: string;
  intelTopic: string;
  groupId: string;
  graphNamespace: string;
  /** Where it announces recorded events for a scorer (graph.events); none when not given, as no scorer runs. */
  graphEventsTopic?: string;
  env?: Record<string, string>;
  /** Extra arguments for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keep the parsed log lines in memory (tests read them); off for long benchmark runs. Default true. */
  keepLogs?: boolean;
};

/** A port free now: the service's own 0 means "metrics off". */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

export async function startResolverProcess(opts: ResolverProcessOptions): Promise<ResolverProcess> {
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'services/resolver/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: opts.endpoints.kafkaBrokers.join(','),
      REDIS_URL: opts.endpoints.redisUrl,
      SCHEMA_REGISTRY_URL: opts.endpoints.schemaRegistryUrl,
      DAUNTLESS_RESOLVER_TOPICS: opts.inputTopic,
      DAUNTLESS_INTEL_TOPIC: opts.intelTopic,
      DAUNTLESS_RESOLVER_GROUP: opts.groupId,
      DAUNTLESS_GRAPH: opts.graphNamespace,
      DAUNTLESS_GRAPH_EVENTS_TOPIC: opts.graphEventsTopic ?? 'off',
      DAUNTLESS_METRICS_PORT: String(metricsPort),
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
      if (opts.keepLogs === false && !line.includes('"resolver running"') && !line.includes('"level":50') && !line.includes('"level":60')) continue;
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
  await waitUntil(
    'the resolver process to start consuming',
    () => {
      if (ended !== undefined) throw new Error(`the resolver exited (${ended}) before it was running: ${stderr.slice(-2000)} ${JSON.stringify(logs.slice(-3))}`);
      return logs.some((l) => l.msg === 'resolver running');
    },
    60_000,
  ).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    child,
    logs,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    exited,
    async kill(signal) {
      if (ended === undefined) child.kill(signal);
      return exited;
    },
  };
}
