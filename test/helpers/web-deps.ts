// What a test of the web service (buildWebServer against the real servers)
// does not exercise: each action answers as a graph holding nothing would
// (an unknown merge, person or record), so a route reached by mistake fails
// as a validation error rather than touching data. A test spreads these and
// then gives the actions it tests.
import type { WebDeps } from '../../services/web/server.ts';

type UnusedActions = Pick<
  WebDeps,
  'reportIncident' | 'unmerge' | 'erasePerson' | 'readRecord' | 'correctRecord' | 'reviewRetention' | 'searchAudit' | 'renderPdf' | 'readiness' | 'publicUrl' | 'secureCookies' | 'sessionIdleSeconds'
>;

const nothingHere = (what: string) => Object.assign(new Error(`No ${what} in this graph.`), { code: 'VALIDATION_FAILED' });

export const UNUSED_WEB_ACTIONS: UnusedActions = {
  reportIncident: async () => ({ ok: false, reasons: ['not in this test'] }),
  unmerge: async (mergeId) => {
    throw nothingHere(`merge ${mergeId}`);
  },
  erasePerson: async () => {
    throw nothingHere('person');
  },
  readRecord: async () => undefined,
  correctRecord: async () => {
    throw nothingHere('record');
  },
  reviewRetention: async () => undefined,
  searchAudit: async () => [],
  renderPdf: async () => Buffer.from('%PDF-'),
  readiness: [],
  publicUrl: 'http://127.0.0.1:8080',
  secureCookies: false,
  sessionIdleSeconds: 600,
};
