import { describe, expect, it } from 'vitest';
import * as access from './access.ts';
import type { Role, WebUser } from './access.ts';

const LAMBETH = 'E09000022';
const HACKNEY = 'E09000012';
const user = (roles: Role[], boroughs: string[] = []): WebUser => ({ subject: 's', username: 'u', displayName: 'U', roles: new Set(roles), boroughs, kind: 'PERSON' });
const reach = (boroughs: string[], extra: Partial<access.PersonReach> = {}): access.PersonReach => ({ boroughs, inRecentCall: false, viaIncident: undefined, ...extra });

describe('need-to-know', () => {
  it('gives an LPT officer their own borough and refuses another', () => {
    const lpt = user(['lpt-officer'], [LAMBETH]);
    expect(access.mayReadBorough(lpt, LAMBETH).allowed).toBe(true);
    expect(access.mayReadBorough(lpt, HACKNEY)).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(access.mayReadPerson(lpt, reach([LAMBETH]), undefined).allowed).toBe(true);
    expect(access.mayReadPerson(lpt, reach([HACKNEY]), 'I would like to look at this one')).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  it('lets the control room see the people of an incident it handles, and no one else', () => {
    const dispatcher = user(['dispatcher']);
    expect(access.mayReadPerson(dispatcher, reach([HACKNEY], { viaIncident: { incidentId: 'i', boroughCode: HACKNEY, personInIt: true } }), undefined).allowed).toBe(true);
    expect(access.mayReadPerson(dispatcher, reach([HACKNEY], { inRecentCall: true }), undefined).allowed).toBe(true);
    expect(access.mayReadPerson(dispatcher, reach([HACKNEY]), undefined).allowed).toBe(false);
    expect(access.mayReadPerson(dispatcher, reach([HACKNEY], { viaIncident: { incidentId: 'i', boroughCode: HACKNEY, personInIt: false } }), undefined).allowed).toBe(false);
    expect(access.mayWatchFeed(dispatcher).allowed).toBe(true);
    expect(access.mayReadBorough(dispatcher, HACKNEY).allowed).toBe(false);
  });

  it('lets administrators alone run the retention review, and supervisors alone correct a record', () => {
    expect(access.mayReviewRetention(user(['administrator'])).allowed).toBe(true);
    for (const role of ['supervisor', 'dauntless-lead', 'lpt-officer', 'auditor'] as Role[]) expect(access.mayReviewRetention(user([role], [LAMBETH])).allowed).toBe(false);
    expect(access.mayAlterRecords(user(['supervisor'])).allowed).toBe(true);
    expect(access.mayAlterRecords(user(['lpt-officer'], [LAMBETH])).allowed).toBe(false);
  });

  it('asks a supervisor for a purpose where there is no route, and records it as the purpose', () => {
    const supervisor = user(['supervisor']);
    expect(access.mayReadPerson(supervisor, reach([]), undefined)).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
    expect(access.mayReadPerson(supervisor, reach([]), 'short')).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
    expect(access.mayReadPerson(supervisor, reach([]), 'Correcting record after a complaint')).toEqual({ allowed: true, purpose: 'stated purpose: Correcting record after a complaint' });
    expect(access.mayAlterRecords(supervisor).allowed).toBe(true);
  });

  it('keeps auditors to the audit log and administrators away from personal data', () => {
    for (const role of ['auditor', 'administrator'] as const) {
      const u = user([role]);
      expect(access.mayReadPerson(u, reach([LAMBETH], { inRecentCall: true }), 'a purpose long enough').allowed).toBe(false);
      expect(access.mayReadBorough(u, LAMBETH).allowed).toBe(false);
      expect(access.mayWatchFeed(u).allowed).toBe(false);
      expect(access.mayAlterRecords(u).allowed).toBe(false);
    }
    expect(access.mayReadAudit(user(['auditor'])).allowed).toBe(true);
    expect(access.mayReadAudit(user(['administrator'])).allowed).toBe(false);
    expect(access.mayReadAudit(user(['supervisor', 'dauntless-lead'])).allowed).toBe(false);
  });

  it('gives leads every borough and the tactical plans', () => {
    const lead = user(['dauntless-lead']);
    expect(access.mayReadAllBoroughs(lead).allowed).toBe(true);
    expect(access.mayReadBorough(lead, HACKNEY).allowed).toBe(true);
    expect(access.mayChangeTacticalPlan(lead, HACKNEY).allowed).toBe(true);
    expect(access.mayChangeTacticalPlan(user(['lpt-officer'], [LAMBETH]), HACKNEY).allowed).toBe(false);
    expect(access.mayReportIncident(lead).allowed).toBe(false);
    expect(access.mayReportIncident(user(['call-handler'])).allowed).toBe(true);
  });

  it('ignores roles the force did not define', () => {
    expect([...access.rolesFrom(['dispatcher', 'offline_access', 'default-roles-dauntless', 7])]).toEqual(['dispatcher']);
  });
});

describe('need-to-know for the operator CLI', () => {
  it('shows a target to leads and supervisors, and to an LPT only where the target is scored in their borough', () => {
    expect(access.mayReadTarget(user(['dauntless-lead']), []).allowed).toBe(true);
    expect(access.mayReadTarget(user(['supervisor']), [HACKNEY]).allowed).toBe(true);
    expect(access.mayReadTarget(user(['lpt-officer'], [LAMBETH]), [HACKNEY, LAMBETH])).toMatchObject({ allowed: true, purpose: `target in own borough ${LAMBETH}` });
    expect(access.mayReadTarget(user(['lpt-officer'], [LAMBETH]), [HACKNEY])).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(access.mayReadTarget(user(['administrator']), [LAMBETH]).allowed).toBe(false);
  });

  it('lets only a supervisor with a purpose watch raw records, and no administrator see them', () => {
    expect(access.mayTailTopic(user(['supervisor']), 'personal', 'checking a duplicated call')).toMatchObject({ allowed: true, purpose: 'stated purpose: checking a duplicated call' });
    expect(access.mayTailTopic(user(['supervisor']), 'personal', 'short')).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
    expect(access.mayTailTopic(user(['administrator']), 'personal', 'checking a duplicated call')).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(access.mayTailTopic(user(['dauntless-lead']), 'personal', 'checking a duplicated call').allowed).toBe(false);
  });

  it('gives the intelligence feed to the control room, the boards to leads, dead letters to administrators and supervisors', () => {
    expect(access.mayTailTopic(user(['dispatcher']), 'intelligence', undefined).allowed).toBe(true);
    expect(access.mayTailTopic(user(['administrator']), 'intelligence', undefined).allowed).toBe(false);
    expect(access.mayTailTopic(user(['dauntless-lead']), 'boards', undefined).allowed).toBe(true);
    expect(access.mayTailTopic(user(['lpt-officer'], [LAMBETH]), 'boards', undefined).allowed).toBe(false);
    expect(access.mayTailTopic(user(['administrator']), 'dead-letters', undefined).allowed).toBe(true);
    expect(access.mayTailTopic(user(['call-handler']), 'dead-letters', undefined).allowed).toBe(false);
  });

  it('lets administrators and supervisors replay dead letters, and only supervisors touch the refuge register', () => {
    expect(access.mayReplayDeadLetters(user(['administrator'])).allowed).toBe(true);
    expect(access.mayReplayDeadLetters(user(['dauntless-lead'])).allowed).toBe(false);
    expect(access.mayUseRefugeRegister(user(['supervisor'])).allowed).toBe(true);
    expect(access.mayUseRefugeRegister(user(['administrator'])).allowed).toBe(false);
    expect(access.mayUseRefugeRegister(user(['dauntless-lead'])).allowed).toBe(false);
  });

  it('lets administrators and supervisors backfill records, and nobody else', () => {
    expect(access.mayCollectRecords(user(['administrator'])).allowed).toBe(true);
    expect(access.mayCollectRecords(user(['supervisor'])).allowed).toBe(true);
    for (const role of ['call-handler', 'dispatcher', 'lpt-officer', 'dauntless-lead', 'auditor'] as const) expect(access.mayCollectRecords(user([role], ['E09000022'])).allowed).toBe(false);
  });
});
