// The scorer service as a real child process (services/scorer/main.ts), for
// end-to-end tests, with its topics, group and namespaces set by environment
// so runs never share them (service-process.ts does the spawning).
import type { Endpoints } from '../../shared/config/endpoints.ts';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

export type ScorerProcess = ServiceProcess;

export type ScorerProcessOptions = {
  endpoints: Endpoints;
  /** The resolver's graph events (graph.events). */
  inputTopic: string;
  topFiveTopic: string;
  alertsTopic: string;
  groupId: string;
  /** The resolver's graph; the scorer keeps its own keys beside it (shared/boards/namespaces.ts). */
  graphNamespace: string;
  /** How often it scores again whoever is due, ms. Default 1000. */
  tickMs?: number;
  env?: Record<string, string>;
};

export function startScorerProcess(opts: ScorerProcessOptions): Promise<ScorerProcess> {
  return startServiceProcess({
    service: 'scorer',
    endpoints: opts.endpoints,
    env: {
      DAUNTLESS_SCORER_TOPIC: opts.inputTopic,
      DAUNTLESS_TOPFIVE_TOPIC: opts.topFiveTopic,
      DAUNTLESS_ALERTS_TOPIC: opts.alertsTopic,
      DAUNTLESS_SCORER_GROUP: opts.groupId,
      DAUNTLESS_GRAPH: opts.graphNamespace,
      DAUNTLESS_SCORER_TICK_MS: String(opts.tickMs ?? 1000),
      // No metrics endpoint: tests run several processes on one machine.
      DAUNTLESS_SCORER_METRICS_PORT: '0',
      ...opts.env,
    },
  });
}
