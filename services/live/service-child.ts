// A Dauntless service (the resolver, services/resolver/main.ts, or the
// scorer) as a child process of the main job: the same program `npm run
// resolver` runs. Its pino JSON lines (stdout and stderr) go to a log file,
// not the terminal; the last few are kept to show if it dies. Started means
// it logged its ready line ("resolver running"), whose fields (graph, group,
// metrics port) the job shows: the service reads its own configuration, so
// the job never needs to know its defaults.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export type ServiceExit = { code: number | null; signal: NodeJS.Signals | null };

export type ServiceChild = {
  pid: number;
  /** Settles when the process has ended (and its log is flushed). */
  exited: Promise<ServiceExit>;
  /** Whether it has ended. */
  hasExited(): boolean;
  /** The fields of its ready line (pino JSON): what it runs with, as it read its own configuration. */
  ready: Record<string, unknown>;
  /** Its last lines, oldest first (at most KEPT_LINES). */
  lastLines(): string[];
  /** SIGTERM (the resolver stops its consumer cleanly), then SIGKILL if it is still there after graceMs. */
  stop(graceMs?: number): Promise<ServiceExit>;
};

/** The resolver ended before it logged "resolver running". */
export class ServiceStartError extends Error {
  readonly lines: string[];
  constructor(message: string, lines: string[]) {
    super(message);
    this.name = 'ServiceStartError';
    this.lines = lines;
  }
}

export type StartServiceChildOptions = {
  /** The repository root: the script path is relative to it. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Longest wait for "resolver running", ms. Default 60,000. */
  readyTimeoutMs?: number;
  /**
   * Another service run the same way (the scorer): its script, the line it logs once running, and its name in
   * messages. Default the resolver's.
   */
  service?: { script: string; ready: string; name: string };
};

const KEPT_LINES = 20;

/** A ready line's fields; a line that is not JSON (it always is, from pino) gives none. */
export function readyFields(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
const RESOLVER = { script: 'services/resolver/main.ts', ready: 'resolver running', name: 'resolver' };

export async function startServiceChild({ cwd, env, logFile, readyTimeoutMs = 60_000, service = RESOLVER }: StartServiceChildOptions): Promise<ServiceChild> {
  const READY = service.ready;
  await mkdir(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'w' });
  // Not detached: Ctrl-C in the terminal reaches it too, and it stops itself on SIGINT as on SIGTERM.
  const child = spawn(process.execPath, ['--import', 'tsx', service.script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });

  const kept: string[] = [];
  let ready: Record<string, unknown> | undefined;
  let markReady!: () => void;
  const readySeen = new Promise<void>((resolve) => (markReady = resolve));
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      log.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        kept.push(line);
        if (kept.length > KEPT_LINES) kept.shift();
        if (!ready && line.includes(`"msg":"${READY}"`)) {
          ready = readyFields(line);
          markReady();
        }
      }
    });
  }

  let ended: ServiceExit | undefined;
  const exited = new Promise<ServiceExit>((resolve) => {
    child.on('exit', (code, signal) => {
      ended = { code, signal };
      // Its pipes may still hold the last lines: let them drain into the log first.
      setTimeout(() => log.end(() => resolve(ended!)), 50);
    });
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await spawned;

  const handle: ServiceChild = {
    pid: child.pid!,
    exited,
    get ready() {
      return ready ?? {};
    },
    hasExited: () => ended !== undefined,
    lastLines: () => [...kept],
    async stop(graceMs = 20_000) {
      if (ended) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    readySeen.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readyTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready') return handle;
  if (outcome === 'timeout') {
    await handle.stop(5_000);
    throw new ServiceStartError(`the ${service.name} did not log "${READY}" within ${readyTimeoutMs / 1000} s; stopped it`, handle.lastLines());
  }
  const how = await exited;
  throw new ServiceStartError(`the ${service.name} exited (${how.signal ?? `code ${how.code}`}) before it was running`, handle.lastLines());
}

/**
 * Reports a child that ends while nothing asked it to: unless `stopping` is aborted within `graceMs` of its exit
 * (Ctrl-C in the terminal reaches the child and this process alike, in either order).
 */
export function onUnexpectedExit(child: Pick<ServiceChild, 'exited'>, stopping: AbortSignal, graceMs: number, report: (how: ServiceExit) => void): void {
  void child.exited.then(async (how) => {
    if (stopping.aborted) return;
    await new Promise((done) => setTimeout(done, graceMs));
    if (!stopping.aborted) report(how);
  });
}
