// An entry of the s62 log (Data Protection Act 2018 Part 3, s62): every
// collection, alteration, consultation, disclosure, combination and erasure
// of personal data, with who did it, when, what (ids only) and why.
// schemas/audit-entry.avsc is the contract on audit.v1. Pure.
import { randomUUID } from 'node:crypto';

export type AuditKind = 'COLLECTION' | 'ALTERATION' | 'CONSULTATION' | 'DISCLOSURE' | 'COMBINATION' | 'ERASURE';
export type AuditOutcome = 'DONE' | 'REFUSED';

export type AuditActor = {
  kind: 'PERSON' | 'SYSTEM' | 'SERVICE';
  /** The identity provider's subject, or the service principal. */
  id: string;
  username: string | null;
  roles: string[];
};

export type AuditEntry = {
  entryId: string;
  at: number;
  kind: AuditKind;
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor;
  subjectIds: string[];
  purpose: string | null;
  resource: string | null;
  evidenceId: string | null;
};

export type AuditInput = Omit<AuditEntry, 'entryId' | 'at' | 'outcome' | 'purpose' | 'resource' | 'evidenceId' | 'subjectIds'> &
  Partial<Pick<AuditEntry, 'at' | 'outcome' | 'purpose' | 'resource' | 'evidenceId' | 'subjectIds'>>;

/** Ids and short words only: a field longer than this is cut, so a hostile id cannot flood the log. */
const MAX_FIELD = 512;
const MAX_SUBJECTS = 200;
const cut = (text: string) => (text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text);

export function auditEntry(input: AuditInput, now: () => number = Date.now): AuditEntry {
  return {
    entryId: randomUUID(),
    at: input.at ?? now(),
    kind: input.kind,
    action: cut(input.action),
    outcome: input.outcome ?? 'DONE',
    actor: { kind: input.actor.kind, id: cut(input.actor.id), username: input.actor.username === null ? null : cut(input.actor.username), roles: input.actor.roles.map(cut) },
    subjectIds: [...new Set(input.subjectIds ?? [])].slice(0, MAX_SUBJECTS).map(cut),
    purpose: input.purpose == null ? null : cut(input.purpose),
    resource: input.resource == null ? null : cut(input.resource),
    evidenceId: input.evidenceId == null ? null : cut(input.evidenceId),
  };
}

/** A service acting on its own (the resolver linking records, a retention sweep), as the log names it. */
export function serviceActor(principal: string): AuditActor {
  return { kind: 'SERVICE', id: principal, username: null, roles: [] };
}
