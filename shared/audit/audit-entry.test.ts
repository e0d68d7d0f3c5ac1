import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { contractSchema, SCHEMA_FILE } from '../contracts/contract-schemas.ts';
import { auditEntry, serviceActor } from './audit-entry.ts';

const lead = { kind: 'PERSON' as const, id: 'sub-1', username: 'dauntless.lead', roles: ['dauntless-lead'] };

describe('auditEntry', () => {
  it('fills the id, the time and the defaults, and fits the audit.v1 schema', () => {
    const entry = auditEntry({ kind: 'CONSULTATION', action: 'person.viewed', actor: lead, subjectIds: ['p-1', 'p-1', 'inc-2'], purpose: 'target in borough E09000022' }, () => 1_700_000_000_000);
    expect(entry).toMatchObject({ at: 1_700_000_000_000, outcome: 'DONE', subjectIds: ['p-1', 'inc-2'], resource: null, evidenceId: null });
    expect(entry.entryId).toMatch(/^[0-9a-f-]{36}$/);
    const type = avro.Type.forSchema(contractSchema(SCHEMA_FILE.audit) as avro.Schema);
    expect(type.isValid(entry)).toBe(true);
  });

  it('cuts a hostile id so one request cannot flood the log', () => {
    const entry = auditEntry({ kind: 'COMBINATION', action: 'record.linked', actor: serviceActor('dauntless-resolver'), subjectIds: ['x'.repeat(10_000)] });
    expect(entry.subjectIds[0]).toHaveLength(512);
    expect(entry.actor).toEqual({ kind: 'SERVICE', id: 'dauntless-resolver', username: null, roles: [] });
  });
});
