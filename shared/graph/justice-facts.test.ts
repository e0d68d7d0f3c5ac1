import { describe, expect, it } from 'vitest';
import { sampleJusticeEvent, sampleVictim } from '../../test/helpers/sample-justice-event.ts';
import { partyMatch } from './incident-facts.ts';
import { wrapDetail, type JusticeEvent } from '../contracts/justice-event.ts';
import { justiceFacts } from './justice-facts.ts';

const event = (overrides: Record<string, unknown> = {}) => sampleJusticeEvent(overrides) as unknown as JusticeEvent;

describe('justiceFacts', () => {
  it('keeps what happened and which record each person became, and no name, phone or reference', () => {
    const e = event();
    const facts = justiceFacts(e, new Map([['JUS-20261120-0091:subject', partyMatch({ outcome: 'new' })]]));
    expect(facts).toEqual({
      kind: 'justice',
      eventId: 'JUS-20261120-0091',
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      boroughCode: 'E09000022',
      incidentId: null,
      parties: [
        { recordId: 'JUS-20261120-0091:subject', role: 'SUBJECT', match: { outcome: 'NEW_PERSON', probability: null, evidence: [] } },
        { recordId: 'JUS-20261120-0091:related-0', role: 'RELATED' },
      ],
      what: 'PROTECTIVE_ORDER',
      orderId: 'DVPO-LX-2026-0311',
      orderType: 'DVPO',
      action: 'ISSUED',
      startsAt: e.occurredAt,
      expiresAt: e.occurredAt + 28 * 86_400_000,
      conditions: ['not to contact the protected person', 'not to enter 10 Acacia Road'],
    });
    expect(JSON.stringify(facts)).not.toMatch(/ROBERT|SAMPLE|Joanne|07700|09\/123456H|1985/i);
  });

  it.each<[string, JusticeEvent['detail'], Record<string, unknown>]>([
    ['an arrest', wrapDetail('Arrest', { offences: ['ABH', 'ABH'], custodyRecordId: 'C1' }), { what: 'ARREST', offences: ['ABH'] }],
    ['a charge outcome', wrapDetail('ChargeOutcome', { offences: ['ABH'], outcome: 'CHARGED' }), { what: 'CHARGE_OUTCOME', offences: ['ABH'], outcome: 'CHARGED' }],
    [
      'a custody release with bail',
      wrapDetail('CustodyRelease', { releaseType: 'PRE_CHARGE_BAIL', bailExpiresAt: 5, bailConditions: [{ kind: 'NO_CONTACT', description: 'no contact', expiresAt: null }] }),
      { what: 'CUSTODY_RELEASE', releaseType: 'PRE_CHARGE_BAIL', bailExpiresAt: 5, bailConditions: [{ kind: 'NO_CONTACT', description: 'no contact', expiresAt: null }] },
    ],
    ['a DASH', wrapDetail('DashCompleted', { answers: [{ question: 1, answer: 'YES' }], yesCount: 15, level: 'HIGH', riskFactors: ['STRANGULATION'] }), { what: 'DASH', level: 'HIGH', yesCount: 15, riskFactors: ['STRANGULATION'] }],
    ['a MARAC referral', wrapDetail('MaracReferral', { reason: 'HIGH_RISK_DASH', meetingAt: null }), { what: 'MARAC_REFERRAL', reason: 'HIGH_RISK_DASH', meetingAt: null }],
    ["a Clare's Law disclosure", wrapDetail('ClaresLawDisclosure', { route: 'RIGHT_TO_ASK', disclosed: true }), { what: 'CLARES_LAW', route: 'RIGHT_TO_ASK', disclosed: true }],
  ])('reads %s', (_, detail, expected) => {
    const facts = justiceFacts(event({ detail, relatedPersons: [sampleVictim(), sampleVictim()] }));
    expect(facts).toMatchObject(expected);
    expect(facts.parties.map((p) => p.recordId)).toEqual(['JUS-20261120-0091:subject', 'JUS-20261120-0091:related-0', 'JUS-20261120-0091:related-1']);
  });
});
