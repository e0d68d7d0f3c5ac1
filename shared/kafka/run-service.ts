// The life of a Dauntless service process, one copy for every service: start
// it, log its ready line ("<service> running", with what it runs with, which
// `npm start` shows), stop it cleanly on SIGINT or SIGTERM and exit 0; a
// failure to start, or a stop that throws, is logged as fatal and exits 1. So
// does a service that fails while running (a dead consumer, a configuration
// error found by a message): it is stopped, committing what is done, and the
// non-zero exit has its supervisor start it again, rather than a process that
// answers /healthz while consuming nothing.
// The service's own main only loads config and builds what runs.
import type { Logger } from '../logging/create-logger.ts';

export type RunningService = {
  /** Fields of the ready line: topics, group, namespaces, ports. Never credentials or personal data. */
  ready: Record<string, unknown>;
  /** Stops consuming, waits for in-flight work, closes clients. */
  stop(): Promise<void>;
  /** Settles with the error if the service can no longer work (StageConsumer.failed): it is stopped and the process exits 1. */
  failed?: Promise<Error>;
};

/** Longest a failed service is given to stop before the process exits anyway, in ms. */
const STOP_AFTER_FAILURE_MS = 15_000;

export async function runService({ service, logger, start }: { service: string; logger: Logger; start: () => Promise<RunningService> }): Promise<void> {
  let running: RunningService | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Asked to stop while starting (waiting for a server): nothing was consumed, so nothing is left to commit.
    if (!running) process.exit(0);
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      logger.fatal({ err: error }, 'did not stop cleanly');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    running = await start();
  } catch (error) {
    logger.fatal({ err: error, code: (error as { code?: string }).code }, (error as Error).message);
    process.exit(1);
  }
  const started = running;
  const failWith = async (sentence: string, error: unknown) => {
    if (stopping) return;
    stopping = true;
    logger.fatal({ err: error, code: (error as { code?: string }).code }, `${service} cannot go on: ${sentence}`);
    const timer = setTimeout(() => process.exit(1), STOP_AFTER_FAILURE_MS);
    await started.stop().catch((stopError: unknown) => logger.error({ err: stopError }, 'did not stop cleanly'));
    clearTimeout(timer);
    process.exit(1);
  };
  void started.failed?.then((error) => failWith(error.message, error));
  // An error nothing caught (in a timer or a callback, outside any message's handling) leaves the service in a state
  // no one planned for: stopped the same way, in one sentence, not Node's bare stack trace.
  const unexpected = (error: unknown) => void failWith(`an unexpected ${(error as Error)?.name ?? 'error'} outside any message (${(error as Error)?.message ?? String(error)}): exiting so the supervisor starts the service again.`, error);
  process.on('uncaughtException', unexpected);
  process.on('unhandledRejection', unexpected);
  logger.info(started.ready, `${service} running`);
}
