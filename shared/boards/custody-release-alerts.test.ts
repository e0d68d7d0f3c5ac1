import { describe, expect, it } from 'vitest';
import { DAY, LAMBETH, NOW, SOUTHWARK, CROYDON, historyOf, incident, justice } from '../harm/test-support.ts';
import type { GraphEvent } from '../graph/incident-graph.ts';
import { custodyReleaseAlerts, victimsOf } from './custody-release-alerts.ts';

const release = (daysAgo: number, related: string[], extra: Record<string, unknown> = {}) =>
  justice(
    'J-REL',
    daysAgo,
    'E-p',
    related,
    {
      what: 'CUSTODY_RELEASE',
      releaseType: 'PRE_CHARGE_BAIL',
      bailExpiresAt: NOW + 60 * DAY,
      bailConditions: [
        { kind: 'NO_CONTACT', description: 'not to contact the victim directly or indirectly', expiresAt: null },
        { kind: 'EXCLUSION_ZONE', description: 'not to enter SE11', expiresAt: NOW + 30 * DAY },
      ],
    },
    extra,
  );

// E-p abused E-v1 in Lambeth and E-v2 in Southwark; E-v2 also called once from Croydon about someone else.
const events: GraphEvent[] = [
  incident('CAD-1', 200, [['E-v1', ['VICTIM', 'CALLER']], ['E-p', ['SUSPECT']]], { boroughCode: LAMBETH }),
  incident('CAD-2', 100, [['E-v1', ['VICTIM']], ['E-p', ['SUSPECT']]], { boroughCode: LAMBETH }),
  incident('CAD-3', 20, [['E-v2', ['VICTIM']], ['E-p', ['SUSPECT']]], { boroughCode: SOUTHWARK }),
  incident('CAD-4', 10, [['E-v2', ['VICTIM']], ['E-other', ['SUSPECT']]], { boroughCode: CROYDON }),
  incident('CAD-5', 5, [['E-p', ['VICTIM']], ['E-x', ['SUSPECT']]], { boroughCode: SOUTHWARK }),
];
const of = (id: string, list: GraphEvent[]) => historyOf(id, list.filter((e) => e.partyEntityIds.includes(id)));

describe('custodyReleaseAlerts', () => {
  it("alerts every borough where the released perpetrator's victims' incidents were, with the bail conditions and the victims there", () => {
    const all = [...events, release(0, ['E-v1'])];
    const alerts = custodyReleaseAlerts({ eventId: 'J-REL', perpetrator: of('E-p', all), victims: [of('E-v1', all), of('E-v2', all)], score: { score: 1234.5, serial: true }, at: NOW });
    expect(alerts.map((a) => [a.boroughCode, a.victims.map((v) => [v.entityId, v.incidentIds, v.protectedByRelease])])).toEqual([
      [CROYDON, [['E-v2', ['CAD-4'], false]]],
      [LAMBETH, [['E-v1', ['CAD-2', 'CAD-1'], true]]],
      [SOUTHWARK, [['E-v2', ['CAD-3'], false]]],
    ]);
    const lambeth = alerts.find((a) => a.boroughCode === LAMBETH)!;
    expect(lambeth).toMatchObject({
      alertId: `J-REL:${LAMBETH}`,
      kind: 'CUSTODY_RELEASE',
      causeEventId: 'J-REL',
      perpetratorEntityId: 'E-p',
      harmScore: 1234.5,
      serial: true,
      custodyRelease: {
        releasedAt: NOW,
        releaseType: 'PRE_CHARGE_BAIL',
        bailExpiresAt: NOW + 60 * DAY,
        // A condition with no expiry of its own lasts as long as the bail.
        bailConditions: [
          { kind: 'NO_CONTACT', description: 'not to contact the victim directly or indirectly', expiresAt: NOW + 60 * DAY },
          { kind: 'EXCLUSION_ZONE', description: 'not to enter SE11', expiresAt: NOW + 30 * DAY },
        ],
      },
    });
    expect(lambeth.summary).toBe('Perpetrator E-p released from custody (pre charge bail until 24 Jan 2027), bail conditions: no contact, exclusion zone; 1 victim of theirs has called from Lambeth.');
    // The person who abused E-p is no victim of E-p's.
    expect(alerts.flatMap((a) => a.victims.map((v) => v.entityId))).not.toContain('E-x');
  });

  it("sends a victim the release protects who never called to the release's borough, and alerts nobody when there are no victims", () => {
    const alone = [release(0, ['E-new'], { boroughCode: LAMBETH })];
    const alerts = custodyReleaseAlerts({ eventId: 'J-REL', perpetrator: of('E-p', alone), victims: [of('E-new', alone)], at: NOW });
    expect(alerts.map((a) => [a.boroughCode, a.victims])).toEqual([[LAMBETH, [{ entityId: 'E-new', incidentIds: [], lastIncidentAt: null, protectedByRelease: true }]]]);
    expect(alerts[0]!.summary).toMatch(/; 1 person the release protects, in Lambeth\.$/);
    const nobody = [release(0, [])];
    expect(custodyReleaseAlerts({ eventId: 'J-REL', perpetrator: of('E-p', nobody), victims: [], at: NOW })).toEqual([]);
  });

  it('alerts nothing for an event that is no custody release of this perpetrator', () => {
    expect(custodyReleaseAlerts({ eventId: 'CAD-1:v1', perpetrator: of('E-p', events), victims: [of('E-v1', events)], at: NOW })).toEqual([]);
  });
});

describe('victimsOf', () => {
  it("counts victims of the perpetrator's incidents, the people their orders protect, and the subjects of DASH and MARAC that name them", () => {
    const marac = justice('J-M', 3, 'E-v3', ['E-p'], { what: 'MARAC_REFERRAL', reason: 'HIGH_RISK_DASH', meetingAt: null });
    const order = justice('J-O', 2, 'E-p', ['E-v4'], { what: 'PROTECTIVE_ORDER', orderId: 'O', orderType: 'DVPO', action: 'ISSUED', startsAt: null, expiresAt: null, conditions: [] });
    expect(victimsOf(of('E-p', [...events, marac, order]))).toEqual(['E-v1', 'E-v2', 'E-v3', 'E-v4']);
  });
});
