// The life of a Dauntless service process, one copy for every service: start
// it, log its ready line ("<service> running", with what it runs with, which
// `npm start` shows), stop it cleanly on SIGINT or SIGTERM and exit 0; a
// failure to start, or a stop that throws, is logged as fatal and exits 1.
// The service's own main only loads config and builds what runs.
import type { Logger } from '../logging/create-logger.ts';

export type RunningService = {
  /** Fields of the ready line: topics, group, namespaces, ports. Never credentials or personal data. */
  ready: Record<string, unknown>;
  /** Stops consuming, waits for in-flight work, closes clients. */
  stop(): Promise<void>;
};

export async function runService({ service, logger, start }: { service: string; logger: Logger; start: () => Promise<RunningService> }): Promise<void> {
  let running: RunningService;
  try {
    running = await start();
  } catch (error) {
    logger.fatal({ err: error, code: (error as { code?: string }).code }, (error as Error).message);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
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
  logger.info(running.ready, `${service} running`);
}
