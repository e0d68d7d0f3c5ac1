import { basicAuthorization, type RegistryAuth } from '../config/credentials.ts';
import { DauntlessError } from '../errors/dauntless-error.ts';

// The registry calls that set the contracts up: compatibility per subject,
// registration, compatibility checks. Plain HTTP against the Confluent API
// (Apicurio serves it under /apis/ccompat/v7), so every status the registry
// answers is seen and mapped to one of our codes. Encoding and decoding of
// messages is in avro-codec.ts.
//
// Every call carries the principal's credentials (HTTP Basic, which the
// registry exchanges for a token at the sign-in provider). A 401 (unknown
// principal or wrong secret) or a 403 (a principal without the role, e.g. a
// reader registering) is a configuration error: retrying gives the same answer.

export type Compatibility = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

export type RegistryAdmin = {
  setCompatibility(subject: string, level: Compatibility): Promise<void>;
  getCompatibility(subject: string): Promise<Compatibility | undefined>;
  /** Registers the schema under the subject; the same schema again returns the same id. */
  register(subject: string, schema: object): Promise<number>;
  /** Whether the schema could be registered as the subject's next version. */
  isCompatible(subject: string, schema: object): Promise<boolean>;
  latest(subject: string): Promise<{ id: number; version: number; schema: string } | undefined>;
  subjects(): Promise<string[]>;
  /** The subjects and versions a schema id is registered under; undefined if the registry has no such id. */
  versionsOfId(id: number): Promise<{ subject: string; version: number }[] | undefined>;
  deleteSubject(subject: string): Promise<void>;
};

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** `auth` undefined only for a registry that admits anyone (the docker-compose stack). */
export function createRegistryAdmin({ url, auth, timeoutMs = 10_000 }: { url: string; auth: RegistryAuth | undefined; timeoutMs?: number }): RegistryAdmin {
  const base = url.replace(/\/+$/, '');
  const authorization: Record<string, string> = auth ? { authorization: basicAuthorization(auth) } : {};
  const who = auth ? `principal ${auth.username}` : 'no credentials';

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE + ', application/json', ...authorization },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new DauntlessError('REGISTRY_UNAVAILABLE', `Schema registry at ${base} did not answer ${method} ${path}.`, { retriable: true, cause });
    }
    const text = await response.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = { message: text };
    }
    if (response.status === 401) {
      throw new DauntlessError('CONFIG_INVALID', `Schema registry at ${base} refused ${who} (401) to ${method} ${path}: check DAUNTLESS_REGISTRY_USER and DAUNTLESS_REGISTRY_PASSWORD (or the stack's secrets folder).`);
    }
    if (response.status === 403) {
      throw new DauntlessError('CONFIG_INVALID', `Schema registry at ${base} does not allow ${who} to ${method} ${path} (403): the principal lacks the registry role for it (sr-readonly reads, sr-developer or sr-admin writes).`);
    }
    if (response.status >= 500) {
      throw new DauntlessError('REGISTRY_UNAVAILABLE', `Schema registry answered ${response.status} to ${method} ${path}: ${json?.message ?? text}`, { retriable: true });
    }
    return { status: response.status, json };
  }

  const subjectPath = (subject: string) => `/subjects/${encodeURIComponent(subject)}`;
  const avro = (schema: object) => ({ schemaType: 'AVRO', schema: JSON.stringify(schema) });

  return {
    async setCompatibility(subject, level) {
      const { status, json } = await call('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
      if (status !== 200) throw new DauntlessError('CONFIG_INVALID', `Registry refused compatibility ${level} for ${subject} (${status}): ${json?.message}`);
    },
    async getCompatibility(subject) {
      const { status, json } = await call('GET', `/config/${encodeURIComponent(subject)}`);
      if (status === 404) return undefined;
      return (json?.compatibilityLevel ?? json?.compatibility) as Compatibility | undefined;
    },
    async register(subject, schema) {
      const { status, json } = await call('POST', `${subjectPath(subject)}/versions`, avro(schema));
      if (status === 409) {
        throw new DauntlessError('SCHEMA_INCOMPATIBLE', `Registry rejected the schema for ${subject} as incompatible: ${json?.message ?? 'no reason given'}`);
      }
      if (status !== 200 || typeof json?.id !== 'number') {
        throw new DauntlessError('SCHEMA_INCOMPATIBLE', `Registry refused the schema for ${subject} (${status}): ${json?.message ?? JSON.stringify(json)}`);
      }
      return json.id as number;
    },
    async isCompatible(subject, schema) {
      const { status, json } = await call('POST', `/compatibility${subjectPath(subject)}/versions/latest`, avro(schema));
      if (status === 404) return true; // no version yet: anything is compatible
      if (status === 409) return false;
      if (status !== 200) throw new DauntlessError('REGISTRY_UNAVAILABLE', `Compatibility check for ${subject} answered ${status}: ${json?.message}`, { retriable: true });
      return json?.is_compatible === true;
    },
    async latest(subject) {
      const { status, json } = await call('GET', `${subjectPath(subject)}/versions/latest`);
      if (status === 404) return undefined;
      return { id: json.id, version: json.version, schema: json.schema };
    },
    async subjects() {
      const { json } = await call('GET', '/subjects');
      return Array.isArray(json) ? json : [];
    },
    async versionsOfId(id) {
      const { status, json } = await call('GET', `/schemas/ids/${id}/versions`);
      if (status === 404) return undefined;
      if (status !== 200 || !Array.isArray(json)) throw new DauntlessError('REGISTRY_UNAVAILABLE', `Schema registry answered ${status} to GET /schemas/ids/${id}/versions: ${json?.message}`, { retriable: true });
      return json as { subject: string; version: number }[];
    },
    async deleteSubject(subject) {
      await call('DELETE', subjectPath(subject));
      // Confluent semantics: a soft delete first, then a permanent one.
      await call('DELETE', `${subjectPath(subject)}?permanent=true`);
    },
  };
}
