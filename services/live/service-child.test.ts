import { describe, expect, it } from 'vitest';
import { onUnexpectedExit, readyFields, type ServiceExit } from './service-child.ts';

const exitedWith = (how: ServiceExit) => ({ exited: Promise.resolve(how) });

describe('a service child', () => {
  it('reports an exit nobody asked for, after the grace period', async () => {
    const reported: ServiceExit[] = [];
    onUnexpectedExit(exitedWith({ code: 1, signal: null }), new AbortController().signal, 10, (how) => void reported.push(how));
    await new Promise((done) => setTimeout(done, 40));
    expect(reported).toEqual([{ code: 1, signal: null }]);
  });

  it('does not report an exit when the job is stopping within the grace period (Ctrl-C reaches both)', async () => {
    const reported: ServiceExit[] = [];
    const stopping = new AbortController();
    onUnexpectedExit(exitedWith({ code: null, signal: 'SIGINT' }), stopping.signal, 20, (how) => void reported.push(how));
    setTimeout(() => stopping.abort(), 5);
    await new Promise((done) => setTimeout(done, 50));
    expect(reported).toEqual([]);
  });

  it("reads its ready line's fields, and none from a line that is not JSON", () => {
    expect(readyFields('{"msg":"resolver running","graph":"dauntless:{g}","metricsPort":9464}')).toMatchObject({ graph: 'dauntless:{g}', metricsPort: 9464 });
    expect(readyFields('resolver running')).toEqual({});
  });
});
