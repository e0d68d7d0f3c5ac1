import { describe, expect, it } from 'vitest';
import { sampleJusticeEvent } from '../../test/helpers/sample-justice-event.ts';
import { unwrapDetail, validateJusticeEvent, wrapDetail, type JusticeEvent } from './justice-event.ts';

const now = Date.UTC(2026, 10, 25, 22);
const DAY = 86_400_000;
const event = (overrides: Record<string, unknown> = {}) => sampleJusticeEvent(overrides) as unknown as JusticeEvent;
const reasonsOf = (e: JusticeEvent) => {
  const result = validateJusticeEvent(e, { now });
  return result.ok ? [] : result.reasons;
};
const nobody = { systemRef: null, given: null, family: ' ', full: null, dateOfBirth: null, phones: [], addresses: [''] };

describe('validateJusticeEvent', () => {
  it('accepts a well-formed event', () => {
    expect(validateJusticeEvent(event(), { now })).toEqual({ ok: true });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty eventId', { eventId: '  ' }, 'eventId is empty'],
    ['a time in the future', { occurredAt: now + DAY, recordedAt: now + DAY }, 'occurredAt is in the future'],
    ['a recording before the event', { occurredAt: now - DAY, recordedAt: now - 2 * DAY }, 'occurredAt is after recordedAt'],
    ['a borough outside the Met', { boroughCode: 'E09000001' }, 'boroughCode "E09000001" is not the ONS code of a Met borough (E09000002..E09000033); send null when the event has no borough'],
    ['an empty incident id', { incidentId: '' }, 'incidentId is empty (send null when there is none)'],
    ['a subject with nothing to resolve', { subject: nobody }, 'subject has no reference, name, date of birth, phone or address to resolve'],
    ['a related person with nothing to resolve', { relatedPersons: [nobody] }, 'related person 1 has no reference, name, date of birth, phone or address to resolve'],
    ['an order that expires before it starts', { detail: wrapDetail('ProtectiveOrder', { orderId: 'O1', orderType: 'DVPO', action: 'ISSUED', startsAt: now - DAY, expiresAt: now - 2 * DAY, conditions: [] }) }, 'order expiresAt is before startsAt'],
    ['an order with no id', { detail: wrapDetail('ProtectiveOrder', { orderId: ' ', orderType: 'DVPN', action: 'ISSUED', startsAt: null, expiresAt: null, conditions: [] }) }, 'order orderId is empty'],
    ['bail that expired before the release', { detail: wrapDetail('CustodyRelease', { releaseType: 'PRE_CHARGE_BAIL', bailExpiresAt: Date.UTC(2026, 0, 1), bailConditions: [] }) }, 'bailExpiresAt is before the release (occurredAt)'],
    ['a bail condition with no description', { detail: wrapDetail('CustodyRelease', { releaseType: 'PRE_CHARGE_BAIL', bailExpiresAt: null, bailConditions: [{ kind: 'NO_CONTACT', description: '', expiresAt: null }] }) }, 'bail condition 1 has an empty description'],
    ['a DASH graded below its count', { detail: wrapDetail('DashCompleted', { answers: [], yesCount: 15, level: 'STANDARD', riskFactors: [] }) }, 'DASH level STANDARD is below HIGH, the level 15 YES answers give'],
    ['a DASH question out of range', { detail: wrapDetail('DashCompleted', { answers: [{ question: 28, answer: 'YES' }], yesCount: 1, level: 'STANDARD', riskFactors: [] }) }, 'DASH question 28 is not from 1 to 27'],
    ['a DASH with more YES answers than its count', { detail: wrapDetail('DashCompleted', { answers: [{ question: 1, answer: 'YES' }, { question: 2, answer: 'YES' }], yesCount: 1, level: 'STANDARD', riskFactors: [] }) }, 'DASH yesCount 1 is below the 2 YES answers given'],
    ['a MARAC meeting before the referral', { detail: wrapDetail('MaracReferral', { reason: 'HIGH_RISK_DASH', meetingAt: Date.UTC(2026, 0, 1) }) }, 'MARAC meetingAt is before the referral (occurredAt)'],
    ['a detail of a kind this resolver does not know', { detail: { 'uk.police.dauntless.justice.StalkingWarning': {} } }, 'detail (uk.police.dauntless.justice.StalkingWarning) is of no kind this resolver knows'],
  ])('refuses %s', (_, overrides, reason) => {
    expect(reasonsOf(event(overrides)).join('\n')).toContain(reason);
  });

  it('names fields, never the people in the event', () => {
    const bad = event({ eventId: '', boroughCode: 'E09000001', relatedPersons: [nobody, nobody], occurredAt: now + DAY, recordedAt: now + DAY });
    const reasons = reasonsOf(bad).join('\n');
    expect(reasonsOf(bad)).toHaveLength(6);
    expect(reasons).not.toMatch(/ROBERT|SAMPLE|Joanne|07700|09\/123456H/i);
  });
});

describe('unwrapDetail', () => {
  it('reads the branch the codec wraps by its full name', () => {
    const branch = unwrapDetail(wrapDetail('MaracReferral', { reason: 'ESCALATION', meetingAt: null }));
    expect(branch).toEqual({ type: 'MaracReferral', value: { reason: 'ESCALATION', meetingAt: null } });
  });

  it('knows no unwrapped record, short name or unknown branch', () => {
    expect(unwrapDetail({ reason: 'ESCALATION', meetingAt: null } as never)).toBeUndefined();
    expect(unwrapDetail({ MaracReferral: { reason: 'ESCALATION', meetingAt: null } } as never)).toBeUndefined();
    expect(unwrapDetail({ 'uk.police.dauntless.justice.Other': {} } as never)).toBeUndefined();
    expect(unwrapDetail(null)).toBeUndefined();
  });
});

describe('validateJusticeEvent caps (shared/er/input-limits.ts)', () => {
  const big = 'a'.repeat(1 << 20);

  it.each<[string, Record<string, unknown>, string]>([
    ['a megabyte of subject name', { subject: { ...event().subject, family: big } }, 'subject.family is 1048576 characters long (at most 200)'],
    ['10,000 phones on a related person', { relatedPersons: [{ ...event().subject, phones: Array.from({ length: 10_000 }, () => '07700900123') }] }, 'relatedPersons[0].phones has 10000 items (at most 20)'],
    ['a megabyte of order condition', { detail: wrapDetail('ProtectiveOrder', { orderId: 'O1', orderType: 'DVPO', action: 'ISSUED', startsAt: null, expiresAt: null, conditions: [big] }) }, 'detail.ProtectiveOrder.conditions[0] is 1048576 characters long (at most 1000)'],
    ['a megabyte of bail condition', { detail: wrapDetail('CustodyRelease', { releaseType: 'PRE_CHARGE_BAIL', bailExpiresAt: null, bailConditions: [{ kind: 'NO_CONTACT', description: big, expiresAt: null }] }) }, 'detail.CustodyRelease.bailConditions[0].description is 1048576 characters long (at most 1000)'],
    ['a megabyte of event id', { eventId: big }, 'eventId is 1048576 characters long (at most 128)'],
  ])('refuses %s, naming the field, never the value', (_what, overrides, reason) => {
    expect(reasonsOf(event(overrides))).toContain(reason);
  });

  it('gives at most twenty reasons for 10,000 bad DASH answers', () => {
    const answers = Array.from({ length: 10_000 }, () => ({ question: 99, answer: 'YES' }));
    const reasons = reasonsOf(event({ detail: wrapDetail('DashCompleted', { answers, yesCount: 1, level: 'STANDARD', riskFactors: [] }) }));
    expect(reasons).toHaveLength(21);
    expect(reasons[0]).toBe('detail.DashCompleted.answers has 10000 items (at most 27)');
  });
});
