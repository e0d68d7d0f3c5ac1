// A whole stack of a test's own (Kafka, Redis, Keycloak and the registry, as
// secured as the shared one), started by deploy/local/stack.sh in a temporary
// folder on free loopback ports: a fault test kills and stops these servers,
// never the shared stack other tests (and engineers) use. Every stack.sh
// command runs one after another, so `down` waits for a start still in flight
// and stops what it started too, however the test ended.
//
// `env` is what a program needs to reach it as the stack's own programs do
// (credentials from its secrets folder, the CA from its tls folder): the
// caller's environment less anything that names another stack's servers.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endpointsFile, parseEnvFile, type Endpoints } from '../../shared/config/endpoints.ts';

const STACK_SH = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy/local/stack.sh');
/** Longer than stack.sh's own waits (Keycloak 240 s, the registry 120 s), so it always answers first. */
const COMMAND_TIMEOUT_MS = 420_000;

export type StackServer = 'redis' | 'kafka' | 'registry';

export type PrivateStack = {
  dir: string;
  /** The environment of a program of this stack (set DAUNTLESS_STACK_DIR; nothing of another stack). */
  env: NodeJS.ProcessEnv;
  /** The servers, once `up` has written them. */
  endpoints(): Endpoints;
  /** What a service started as a child process is given beside its endpoints: the stack folder, the login mechanism, the CA. */
  serviceEnv(): Record<string, string>;
  /** Starts every server, creates the declared topics, ACLs and schemas. */
  up(): Promise<void>;
  /** Starts one server from the data it kept; resolves once it answers. */
  start(server: StackServer): Promise<void>;
  /** Stops one server cleanly (SIGTERM). */
  stop(server: StackServer): Promise<void>;
  /** Kills one server (SIGKILL), as a crash would. */
  kill(server: StackServer): Promise<void>;
  /** Stops every server and removes the folder; safe to call more than once. */
  down(): Promise<void>;
};

/** Distinct ports free now, held together so no two are the same. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', done));
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  }
}

/** Settings that name servers, credentials or a stack: a program of the private stack must find its own. */
const OTHER_STACK = /^(KAFKA_|REDIS_URL$|SCHEMA_REGISTRY_URL$|KEYCLOAK_URL$|OIDC_ISSUER$|DAUNTLESS_(STACK_DIR|CA_FILE|.*_PORT|.*_PASSWORD.*|.*_USER|TEST_CLIENT_.*)$)/;

/**
 * The stack's folder and ports, nothing started yet: keep it before calling `up`, so `down` can stop what a
 * start cut short by a time-out had already started.
 */
export async function createPrivateStack(): Promise<PrivateStack> {
  const dir = await mkdtemp(join(tmpdir(), 'dauntless-stack-'));
  const [kafka, controller, kafkaTls, redis, registry, management, keycloak] = await freePorts(7);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !OTHER_STACK.test(name))),
    DAUNTLESS_STACK_DIR: dir,
  };
  const stackEnv = {
    ...env,
    DAUNTLESS_KAFKA_PORT: String(kafka),
    DAUNTLESS_KAFKA_CONTROLLER_PORT: String(controller),
    DAUNTLESS_KAFKA_TLS_PORT: String(kafkaTls),
    DAUNTLESS_REDIS_PORT: String(redis),
    DAUNTLESS_REGISTRY_PORT: String(registry),
    DAUNTLESS_REGISTRY_MANAGEMENT_PORT: String(management),
    DAUNTLESS_KEYCLOAK_PORT: String(keycloak),
  };
  let queue: Promise<unknown> = Promise.resolve();
  const run = (...args: string[]): Promise<void> => {
    const next = queue.then(
      () =>
        new Promise<void>((done, fail) =>
          execFile('bash', [STACK_SH, ...args], { env: stackEnv, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) =>
            error ? fail(new Error(`stack.sh ${args.join(' ')} failed (${error.message.split('\n')[0]}): ${stderr.slice(-2000)} ${stdout.slice(-1000)}`)) : done(),
          ),
        ),
    );
    queue = next.catch(() => undefined);
    return next;
  };
  const written = () => {
    const file = endpointsFile(env);
    if (!existsSync(file)) throw new Error(`the private stack in ${dir} has no endpoints file: call up() first`);
    return parseEnvFile(readFileSync(file, 'utf8'));
  };
  let removed = false;
  return {
    dir,
    env,
    endpoints() {
      const found = written();
      return { kafkaBrokers: found.KAFKA_BROKERS!.split(','), redisUrl: found.REDIS_URL!, schemaRegistryUrl: found.SCHEMA_REGISTRY_URL! };
    },
    serviceEnv() {
      const found = written();
      return {
        DAUNTLESS_STACK_DIR: dir,
        ...(found.KAFKA_SASL_MECHANISM ? { KAFKA_SASL_MECHANISM: found.KAFKA_SASL_MECHANISM } : {}),
        ...(found.DAUNTLESS_CA_FILE ? { DAUNTLESS_CA_FILE: found.DAUNTLESS_CA_FILE } : {}),
      };
    },
    up: () => run('up'),
    start: (server) => run('start', server),
    stop: (server) => run('stop', server),
    kill: (server) => run('kill', server),
    async down() {
      if (removed) return;
      await run('down').catch(() => undefined);
      removed = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
