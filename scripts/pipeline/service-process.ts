// A Dauntless service as a real child process, for end-to-end tests, the
// pipeline evaluation and the benchmarks: the same program production runs,
// pointed at the given servers, with its settings in the environment. It is
// ready when it logs its "running" line; it can be stopped cleanly (SIGTERM)
// or killed mid-stream (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '../../shared/config/endpoints.ts';
import { withoutKafkaLogin } from '../../shared/config/kafka-security.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 60_000;

export type ServiceProcess = {
  child: ChildProcess;
  /** Parsed pino lines the process wrote so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
};

export async function startServiceProcess(opts: {
  /** "resolver", "scorer": its entry is services/<name>/main.ts and it logs "<name> running" when consuming. */
  service: string;
  endpoints: Endpoints;
  env: Record<string, string>;
  /** Extra arguments for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keep every parsed log line in memory (tests read them); false keeps only the running line and errors, for long runs. */
  keepLogs?: boolean;
  /** The log line (msg) that means started; default "<name> running" (consuming). */
  startedWhen?: string;
}): Promise<ServiceProcess> {
  const running = opts.startedWhen ?? `${opts.service} running`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', `services/${opts.service}/main.ts`], {
    cwd: REPO_ROOT,
    env: {
      // It logs in as its own principal (the resolver as dauntless-resolver), never as the test or benchmark.
      ...withoutKafkaLogin(process.env),
      KAFKA_BROKERS: opts.endpoints.kafkaBrokers.join(','),
      REDIS_URL: opts.endpoints.redisUrl,
      SCHEMA_REGISTRY_URL: opts.endpoints.schemaRegistryUrl,
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
      if (opts.keepLogs === false && !line.includes(`"${running}"`) && !line.includes('"level":50') && !line.includes('"level":60')) continue;
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
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!logs.some((l) => l.msg === running)) {
    if (ended !== undefined) throw new Error(`the ${opts.service} exited (${ended}) before it was running: ${stderr.slice(-2000)} ${JSON.stringify(logs.slice(-3))}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Timed out after ${START_TIMEOUT_MS} ms waiting for the ${opts.service} process to start consuming`);
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
