// The resolver service as a real child process (services/resolver/main.ts),
// for end-to-end tests, the pipeline evaluation and the benchmarks, with its
// topics, group and graph namespace set by environment so runs never share
// them (service-process.ts does the spawning).
import type { Endpoints } from '../../shared/config/endpoints.ts';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';
import { freePort } from './free-port.ts';

export type ResolverProcess = ServiceProcess & {
  /** Where its Prometheus metrics are served. */
  metricsUrl: string;
};

export type ResolverProcessOptions = {
  endpoints: Endpoints;
  inputTopic: string;
  intelTopic: string;
  groupId: string;
  graphNamespace: string;
  /** Where it announces recorded events for a scorer (graph.events); none when not given, as no scorer runs. */
  graphEventsTopic?: string;
  /** Where the resolver's audit entries go; default none. */
  auditTopic?: string;
  env?: Record<string, string>;
  /** Extra arguments for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keep the parsed log lines in memory (tests read them); off for long benchmark runs. Default true. */
  keepLogs?: boolean;
  /** The log line (msg) that means started; default "resolver running" (consuming). */
  startedWhen?: string;
};

export async function startResolverProcess(opts: ResolverProcessOptions): Promise<ResolverProcess> {
  const metricsPort = await freePort();
  const started = await startServiceProcess({
    service: 'resolver',
    endpoints: opts.endpoints,
    nodeArgs: opts.nodeArgs,
    keepLogs: opts.keepLogs,
    ...(opts.startedWhen ? { startedWhen: opts.startedWhen } : {}),
    env: {
      DAUNTLESS_RESOLVER_TOPICS: opts.inputTopic,
      DAUNTLESS_INTEL_TOPIC: opts.intelTopic,
      DAUNTLESS_RESOLVER_GROUP: opts.groupId,
      DAUNTLESS_GRAPH: opts.graphNamespace,
      DAUNTLESS_GRAPH_EVENTS_TOPIC: opts.graphEventsTopic ?? 'off',
      // Synthetic test calls: the s62 log only where a test asks for it.
      DAUNTLESS_AUDIT_TOPIC: opts.auditTopic ?? 'off',
      DAUNTLESS_METRICS_PORT: String(metricsPort),
      ...opts.env,
    },
  });
  return Object.assign(started, { metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
}
