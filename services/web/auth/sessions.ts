// Sessions of people signed in to the web app, kept in Redis so any web
// instance serves any request and a restart signs nobody out. The browser
// holds only an opaque random id in an HTTP-only cookie; Redis keys it by the
// id's SHA-256, so a copy of Redis cannot be replayed as cookies.
//   ns:session:<sha256(id)>   string  JSON Session, expires after the idle time
//   ns:login:<sha256(state)>  string  JSON LoginAttempt, expires after 10 minutes
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisCall } from '../../../shared/redis/redis-call.ts';
import type { Role, WebUser } from '../../../shared/access/access.ts';

export type Session = {
  subject: string;
  username: string;
  displayName: string;
  roles: Role[];
  boroughs: string[];
  /** Sent back with every form and fetch that changes something (CSRF). */
  csrfToken: string;
  /** For the provider's sign-out. */
  idToken: string;
  createdAt: number;
};

export type LoginAttempt = { codeVerifier: string; nonce: string; state: string; returnTo: string };

export type SessionStore = {
  create(user: WebUser, idToken: string): Promise<{ id: string; session: Session }>;
  /** The session, its idle time restarted; undefined if unknown or expired (or older than the absolute limit). */
  read(id: string): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
  /** Keeps the attempt under its state, for the callback. */
  startLogin(attempt: LoginAttempt): Promise<void>;
  /** The attempt for this state, once: a replayed callback finds nothing. */
  finishLogin(state: string): Promise<LoginAttempt | undefined>;
};

const ABSOLUTE_LIMIT_MS = 12 * 3600_000;
const LOGIN_TTL_SECONDS = 600;
const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export function userOfSession(session: Session): WebUser {
  return { subject: session.subject, username: session.username, displayName: session.displayName, roles: new Set(session.roles), boroughs: session.boroughs, kind: 'PERSON' };
}

export function createSessionStore({ redis, namespace, idleSeconds }: { redis: Redis; namespace: string; idleSeconds: number }): SessionStore {
  const key = (id: string) => `${namespace}:session:${digest(id)}`;
  const loginKey = (state: string) => `${namespace}:login:${digest(state)}`;
  return {
    async create(user, idToken) {
      const id = token();
      const session: Session = { subject: user.subject, username: user.username, displayName: user.displayName, roles: [...user.roles], boroughs: [...user.boroughs], csrfToken: token(), idToken, createdAt: Date.now() };
      await redisCall('keep a session', () => redis.set(key(id), JSON.stringify(session), 'EX', idleSeconds));
      return { id, session };
    },
    async read(id) {
      if (!id || id.length > 100) return undefined;
      const text = await redisCall('read a session', () => redis.getex(key(id), 'EX', idleSeconds));
      if (!text) return undefined;
      const session = JSON.parse(text) as Session;
      if (Date.now() - session.createdAt > ABSOLUTE_LIMIT_MS) {
        await redis.del(key(id));
        return undefined;
      }
      return session;
    },
    async destroy(id) {
      await redisCall('end a session', () => redis.del(key(id)));
    },
    async startLogin(attempt) {
      await redisCall('keep a sign-in attempt', () => redis.set(loginKey(attempt.state), JSON.stringify(attempt), 'EX', LOGIN_TTL_SECONDS));
    },
    async finishLogin(state) {
      if (!state || state.length > 100) return undefined;
      const text = await redisCall('read a sign-in attempt', () => redis.getdel(loginKey(state)));
      return text ? (JSON.parse(text) as LoginAttempt) : undefined;
    },
  };
}
