// What a registry client sends and how it reads a refusal, against a small
// HTTP server standing in for a registry that wants credentials (the real one
// is test/integration/sign-in.test.ts).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAvroCodec } from './avro-codec.ts';
import { createRegistryAdmin } from './registry-admin.ts';

const GOOD = { username: 'dauntless-admin', password: 'right-secret' };
const READER = { username: 'cad-writer', password: 'reader-secret' };
const seen: IncomingHttpHeaders[] = [];
let server: Server;
let url: string;

function who(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Basic (.+)$/.exec(headers.authorization ?? '');
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : undefined;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    const credentials = who(request.headers);
    const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (credentials !== `${GOOD.username}:${GOOD.password}` && credentials !== `${READER.username}:${READER.password}`) return reply(401, { message: 'Unauthorized', error_code: 401 });
    if (request.method === 'POST' && credentials.startsWith(READER.username)) return reply(403, { message: 'User is not authorized to perform the requested operation.', error_code: 0 });
    if (request.url === '/subjects') return reply(200, ['a-value']);
    if (request.method === 'POST') return reply(200, { id: 7 });
    return reply(200, { subject: 'a-value', version: 1, id: 7, schema: '"string"' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('registry clients and credentials', () => {
  it('sends the principal as HTTP Basic on every call', async () => {
    seen.length = 0;
    const admin = createRegistryAdmin({ url, auth: GOOD });
    expect(await admin.subjects()).toEqual(['a-value']);
    expect(await admin.register('a-value', { type: 'string' })).toBe(7);
    expect(seen.map(who)).toEqual([`${GOOD.username}:${GOOD.password}`, `${GOOD.username}:${GOOD.password}`]);
  });

  it('reads a 401 as a configuration error naming the principal, never its secret', async () => {
    const error = await createRegistryAdmin({ url, auth: { username: 'dauntless-admin', password: 'wrong-secret' } }).subjects().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retriable: false });
    expect((error as Error).message).toContain('dauntless-admin');
    expect((error as Error).message).not.toContain('wrong-secret');
    await expect(createRegistryAdmin({ url, auth: undefined }).latest('a-value')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('reads a 403 as a configuration error that names the missing role', async () => {
    await expect(createRegistryAdmin({ url, auth: READER }).register('a-value', { type: 'string' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/403.*sr-developer or sr-admin/) });
  });

  it('lets the codec encode with the credentials, and stops (not retries) when they are refused', async () => {
    seen.length = 0;
    const bytes = await createAvroCodec({ url, auth: READER }).encode('a-value', 'x');
    expect(bytes.readInt32BE(1)).toBe(7);
    expect(seen.every((headers) => who(headers) === `${READER.username}:${READER.password}`)).toBe(true);
    await expect(createAvroCodec({ url, auth: { username: 'cad-writer', password: 'nope' } }).encode('a-value', 'x')).rejects.toMatchObject({ code: 'CONFIG_INVALID', retriable: false });
  });
});
