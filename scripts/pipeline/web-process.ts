// The web service as a real child process (services/web/main.ts), for
// end-to-end tests, on a free loopback port, with its topics, group and
// namespaces set by environment so runs never share them.
import type { Endpoints } from '../../shared/config/endpoints.ts';
import { freePort } from './free-port.ts';
import { startServiceProcess, type ServiceProcess } from './service-process.ts';

export type WebProcess = ServiceProcess & { url: string };

export async function startWebProcess(opts: {
  endpoints: Endpoints;
  topics: { incidents: string; intelligence: string; topFive: string; alerts: string; audit: string };
  groupId: string;
  graphNamespace: string;
  stateNamespace: string;
  env?: Record<string, string>;
}): Promise<WebProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = await startServiceProcess({
    service: 'web',
    endpoints: opts.endpoints,
    env: {
      DAUNTLESS_WEB_PORT: String(port),
      DAUNTLESS_WEB_PUBLIC_URL: url,
      DAUNTLESS_INCIDENTS_TOPIC: opts.topics.incidents,
      DAUNTLESS_INTEL_TOPIC: opts.topics.intelligence,
      DAUNTLESS_TOPFIVE_TOPIC: opts.topics.topFive,
      DAUNTLESS_ALERTS_TOPIC: opts.topics.alerts,
      DAUNTLESS_AUDIT_TOPIC: opts.topics.audit,
      DAUNTLESS_WEB_GROUP: opts.groupId,
      DAUNTLESS_GRAPH: opts.graphNamespace,
      DAUNTLESS_WEB_STATE: opts.stateNamespace,
      ...opts.env,
    },
  });
  return { ...process, url };
}
