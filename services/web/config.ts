// The web service's settings: read once from the environment at start,
// validated, frozen. A wrong value stops the start with a sentence that says
// what to change.
import { loadEndpoints, type Endpoints } from '../../shared/config/endpoints.ts';
import { loadKafkaSecurity, type KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { envInteger } from '../../shared/config/env-integer.ts';
import { findRegistryAuth, readSecret, stackSetting, type RegistryAuth } from '../../shared/config/credentials.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import type { HarmConfig } from '../../shared/harm/harm-config.ts';
import { loadHarmConfig } from '../../shared/harm/load-harm-config.ts';
import { loadNamespaces, webNamespaceFor } from '../../shared/boards/namespaces.ts';
import { loadRedisConnection, REDIS_USER, type RedisConnection } from '../../shared/redis/redis-connection.ts';
import { TOPIC } from '../../shared/contracts/topics.ts';
import { DEFAULT_REVIEW_DAYS, MAX_REVIEW_DAYS, MIN_REVIEW_DAYS } from '../../shared/graph/retention-rule.ts';

export type WebConfig = Readonly<{
  endpoints: Endpoints;
  /** Redis as the web service's own user (dauntless-web; DAUNTLESS_REDIS_USER/PASSWORD override), over TLS where the URL is rediss://. */
  redis: RedisConnection;
  /** Who it is to Kafka: principal dauntless-web unless DAUNTLESS_KAFKA_USER says otherwise (shared/config/kafka-security.ts). */
  kafkaSecurity: KafkaSecurity;
  /** The registry as principal dauntless-web, which reads schemas and registers none (DAUNTLESS_REGISTRY_USER/PASSWORD override). */
  registryAuth: RegistryAuth | undefined;
  /** The interface the web service listens on (DAUNTLESS_WEB_HOST, default 127.0.0.1: loopback, behind the force's reverse proxy). */
  host: string;
  /** Its port (DAUNTLESS_WEB_PORT, default 8080; 0 = any free port). */
  port: number;
  /**
   * The address people use (DAUNTLESS_WEB_PUBLIC_URL, default http://127.0.0.1:<port>): the sign-in redirect is
   * built from it, and cookies are Secure when it is https. Anything but https is refused off loopback.
   */
  publicUrl: string | undefined;
  /** The OpenID Connect provider (OIDC_ISSUER, e.g. the force's identity provider or the local Keycloak realm). */
  issuer: string;
  /** The web app's client at the provider (DAUNTLESS_WEB_CLIENT_ID, default dauntless-web) and its secret (DAUNTLESS_WEB_CLIENT_SECRET[_FILE]). */
  clientId: string;
  clientSecret: string;
  /** The audience an API bearer token must carry (DAUNTLESS_API_AUDIENCE, default dauntless-api). */
  audience: string;
  /** Idle time before a session ends, in seconds (DAUNTLESS_SESSION_IDLE_SECONDS, default 1800). */
  sessionIdleSeconds: number;
  /** The web service's own keys in Redis (DAUNTLESS_WEB_STATE, default the graph's namespace with "-web" in its tag, "dauntless:{g-web}"). */
  stateNamespace: string;
  graphNamespace: string;
  boardsNamespace: string;
  harm: HarmConfig;
  /** The topics read and written: DAUNTLESS_INCIDENTS_TOPIC, DAUNTLESS_INTEL_TOPIC, DAUNTLESS_TOPFIVE_TOPIC, DAUNTLESS_ALERTS_TOPIC, DAUNTLESS_AUDIT_TOPIC (defaults: the production topics). */
  topics: Readonly<{ incidents: string; intelligence: string; topFive: string; alerts: string; audit: string }>;
  /** The consumer group that files intelligence, alerts and borough figures (DAUNTLESS_WEB_GROUP, default dauntless-web). */
  groupId: string;
  /** Chromium for the printable briefing (DAUNTLESS_CHROMIUM, default /usr/bin/chromium). */
  chromiumPath: string;
  /**
   * The retention rule (docs/SECURITY.md "Retention"): a person whose latest record is older than `reviewDays`
   * (DAUNTLESS_RETENTION_REVIEW_DAYS, default 3650: ten years; 365 to 36500) is removed, by a review every `sweepMs`
   * (DAUNTLESS_RETENTION_SWEEP_MS, default 3600000: hourly; 0: only on demand).
   */
  retention: Readonly<{ reviewDays: number; sweepMs: number }>;
}>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function loadWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const port = envInteger(env, 'DAUNTLESS_WEB_PORT', 8080, 0, 65_535);
  const host = env.DAUNTLESS_WEB_HOST?.trim() || '127.0.0.1';
  const publicUrl = env.DAUNTLESS_WEB_PUBLIC_URL?.trim() || undefined;
  if (publicUrl) {
    let url: URL;
    try {
      url = new URL(publicUrl);
    } catch {
      throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_WEB_PUBLIC_URL=${publicUrl} is not a URL: write it like https://dauntless.example.police.uk.`);
    }
    if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
      throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_WEB_PUBLIC_URL=${publicUrl} is not https: sessions and tokens would cross the network in clear. Serve it over TLS.`);
    }
  }
  const issuer = stackSetting('OIDC_ISSUER', env);
  if (!issuer) {
    throw new DauntlessError('CONFIG_INVALID', 'No OIDC_ISSUER: name the OpenID Connect provider people sign in with (the local stack writes it to .stack/endpoints.env: run `npm run stack:up`).');
  }
  const clientId = stackSetting('DAUNTLESS_WEB_CLIENT_ID', env) || 'dauntless-web';
  const clientSecret = readSecret('DAUNTLESS_WEB_CLIENT_SECRET', `${clientId}.password`, env);
  if (!clientSecret) {
    throw new DauntlessError('CONFIG_INVALID', `No secret for the OIDC client ${clientId}: set DAUNTLESS_WEB_CLIENT_SECRET or DAUNTLESS_WEB_CLIENT_SECRET_FILE.`);
  }
  const { graphNamespace, stateNamespace: boardsNamespace } = loadNamespaces(env);
  const days = env.DAUNTLESS_RETENTION_REVIEW_DAYS?.trim();
  if (days && Number.isInteger(Number(days)) && Number(days) < MIN_REVIEW_DAYS) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_RETENTION_REVIEW_DAYS=${days} would remove everyone without a record in the last ${days} days at the next review: the period is in days (ten years is 3650), at least ${MIN_REVIEW_DAYS}.`);
  }
  return Object.freeze({
    endpoints: loadEndpoints(env),
    redis: loadRedisConnection(env, REDIS_USER.web),
    registryAuth: findRegistryAuth('dauntless-web', env),
    kafkaSecurity: loadKafkaSecurity(env, 'dauntless-web'),
    host,
    port,
    publicUrl,
    issuer: issuer.replace(/\/+$/, ''),
    clientId,
    clientSecret,
    audience: env.DAUNTLESS_API_AUDIENCE || 'dauntless-api',
    sessionIdleSeconds: envInteger(env, 'DAUNTLESS_SESSION_IDLE_SECONDS', 1800, 60, 86_400),
    stateNamespace: env.DAUNTLESS_WEB_STATE || webNamespaceFor(graphNamespace),
    graphNamespace,
    boardsNamespace,
    harm: loadHarmConfig(env),
    topics: Object.freeze({
      incidents: env.DAUNTLESS_INCIDENTS_TOPIC || TOPIC.incidents,
      intelligence: env.DAUNTLESS_INTEL_TOPIC || TOPIC.intelligence,
      topFive: env.DAUNTLESS_TOPFIVE_TOPIC || TOPIC.topFive,
      alerts: env.DAUNTLESS_ALERTS_TOPIC || TOPIC.alerts,
      audit: env.DAUNTLESS_AUDIT_TOPIC || TOPIC.audit,
    }),
    groupId: env.DAUNTLESS_WEB_GROUP || 'dauntless-web',
    chromiumPath: env.DAUNTLESS_CHROMIUM || '/usr/bin/chromium',
    retention: Object.freeze({
      reviewDays: envInteger(env, 'DAUNTLESS_RETENTION_REVIEW_DAYS', DEFAULT_REVIEW_DAYS, MIN_REVIEW_DAYS, MAX_REVIEW_DAYS),
      sweepMs: envInteger(env, 'DAUNTLESS_RETENTION_SWEEP_MS', 3_600_000, 0, 7 * 86_400_000),
    }),
  });
}
