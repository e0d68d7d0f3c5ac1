import { describe, expect, it } from 'vitest';
import { DEFAULT_HARM_CONFIG, resolveHarmConfig } from './harm-config.ts';
import { combineOffences, harmScore, scoreAt } from './harm-score.ts';
import { CROYDON, DAY, LAMBETH, NOW, SOUTHWARK, historyOf, incident, justice } from './test-support.ts';

const P = 'Eperp', V1 = 'Evic1', V2 = 'Evic2', V3 = 'Evic3';
const pair = (victim: string) => [[P, ['SUSPECT']], [victim, ['VICTIM', 'CALLER']]] as [string, string[]][];
const score = (...events: Parameters<typeof historyOf>[1]) => harmScore(P, historyOf(P, events), NOW);

describe('harmScore: hand-worked cases', () => {
  it('counts a coercive-control incident today at its full weight: 182 days × 2 for homicide risk = 364', () => {
    const s = score(incident('CAD-1', 0, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'] }));
    expect(s.score).toBeCloseTo(364, 9);
    expect(s.contributions).toHaveLength(1);
    expect(s.contributions[0]).toMatchObject({ kind: 'INCIDENT', incidentId: 'CAD-1', boroughCode: LAMBETH, victimEntityIds: [V1], baseHarm: 364, decay: 1, offences: ['COERCIVE_CONTROL'] });
    expect(s.contributions[0]!.why).toBe('Incident CAD-1, 25 Nov 2026 in Lambeth: coercive control 182 d × 2 homicide risk → 364 days; 0 days ago, decay 1.000 → 364');
  });

  it('halves a record one half-life (180 days) old: 364 → 182', () => {
    const s = score(incident('CAD-1', 180, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'] }));
    expect(s.contributions[0]!.decay).toBeCloseTo(0.5, 12);
    expect(s.score).toBeCloseTo(182, 9);
  });

  it('weighs coercive control far above a minor assault with no injury (364 against 20)', () => {
    const control = score(incident('CAD-1', 10, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'] }));
    const assault = score(incident('CAD-2', 10, pair(V1), { abuseTypes: ['PHYSICAL'], injuries: ['NONE_VISIBLE'] }));
    expect(assault.contributions[0]!.baseHarm).toBe(20);
    expect(control.score / assault.score).toBeCloseTo(364 / 20, 9);
    // Each of the four homicide-risk markers outweighs the minor assault.
    for (const type of ['COERCIVE_CONTROL', 'STALKING', 'STRANGULATION', 'THREATS_TO_KILL']) {
      expect(score(incident('CAD-3', 10, pair(V1), { abuseTypes: [type] })).score).toBeGreaterThan(assault.score * 10);
    }
  });

  it('multiplies up for distinct victims: two victims ×1.5, three ×2, capped at ×3', () => {
    const one = score(incident('CAD-1', 0, pair(V1)), incident('CAD-2', 0, pair(V1)));
    expect([one.distinctVictims, one.victimMultiplier, one.score]).toEqual([1, 1, 40]);
    const two = score(incident('CAD-1', 0, pair(V1)), incident('CAD-2', 0, pair(V2)));
    expect([two.distinctVictims, two.victimMultiplier]).toEqual([2, 1.5]);
    expect(two.score).toBeCloseTo(60, 9); // (20 + 20) × 1.5
    expect(two.victimEntityIds).toEqual([V1, V2]);
    const three = score(incident('CAD-1', 0, pair(V1)), incident('CAD-2', 0, pair(V2)), incident('CAD-3', 0, pair(V3)));
    expect(three.score).toBeCloseTo(120, 9); // 60 × 2
    const seven = score(...['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((v, i) => incident(`CAD-${i}`, 0, pair(`E${v}`))));
    expect(seven.victimMultiplier).toBe(3);
  });

  it('keeps an incident exactly 365 days old in the window and drops one 366 days old', () => {
    const edge = score(incident('CAD-1', 365, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'] }));
    expect(edge.contributions).toHaveLength(1);
    expect(edge.score).toBeCloseTo(364 * Math.pow(2, -365 / 180), 9); // 89.6
    // It leaves one millisecond after day 365.
    expect(edge.nextChangeAt).toBe(NOW - 365 * DAY + 365 * DAY + 1);
    const out = score(incident('CAD-1', 366, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'] }));
    expect([out.score, out.contributions.length, out.perBorough]).toEqual([0, 0, {}]);
    // Out of the window, it is still the last incident known.
    expect(out.lastIncidentAt).toBe(NOW - 366 * DAY);
  });

  it('flags a MATAC serial perpetrator only for two or more incidents against two or more victims within three years', () => {
    expect(score(incident('CAD-1', 900, pair(V1)), incident('CAD-2', 10, pair(V2))).serial).toBe(true);
    // Two incidents, one victim.
    expect(score(incident('CAD-1', 100, pair(V1)), incident('CAD-2', 10, pair(V1))).serial).toBe(false);
    // One incident, two victims.
    expect(score(incident('CAD-1', 10, [[P, ['SUSPECT']], [V1, ['VICTIM']], [V2, ['VICTIM']]])).serial).toBe(false);
    // The first victim more than 1095 days ago.
    const old = score(incident('CAD-1', 1096, pair(V1)), incident('CAD-2', 10, pair(V2)));
    expect([old.serial, old.serialEvidence]).toEqual([false, { incidents: 1, victimEntityIds: [V2], lookbackDays: 1095 }]);
  });
});

describe('harmScore: what counts', () => {
  it('counts only incidents where the entity is the suspect, and flags the pair seen with roles reversed', () => {
    const s = score(
      incident('CAD-1', 40, [[V1, ['SUSPECT']], [P, ['VICTIM']]]),
      incident('CAD-2', 20, pair(V1)),
      incident('CAD-3', 10, pair(V1)),
    );
    expect(s.contributions.map((c) => c.incidentId)).toEqual(['CAD-3', 'CAD-2']);
    expect(s.counterAllegations).toEqual([{ otherEntityId: V1, asSuspect: 2, asVictim: 1, firstRole: 'VICTIM' }]);
  });

  it('counts the gravest offence in full and a quarter of each other; an injury names the assault', () => {
    expect(combineOffences(['STRANGULATION', 'THREATS_TO_KILL'], DEFAULT_HARM_CONFIG).harm).toBe(1096 + 0.25 * 730);
    const injured = score(incident('CAD-1', 0, pair(V1), { abuseTypes: ['PHYSICAL'], injuries: ['SERIOUS'] }));
    // Physical abuse with a serious injury is one assault, GBH (730), not GBH plus common assault.
    expect(injured.contributions[0]!.offences).toEqual(['GBH']);
    expect(injured.score).toBe(730);
    const none = score(incident('CAD-1', 0, pair(V1), { abuseTypes: [] }));
    expect(none.contributions[0]!.offences).toEqual(['OTHER']);
  });

  it('multiplies for the gravest weapon and for children present', () => {
    const s = score(incident('CAD-1', 0, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'], weapons: ['OTHER', 'KNIFE'], childrenPresent: true }));
    expect(s.contributions[0]!.baseHarm).toBeCloseTo(364 * 1.5 * 1.25, 9);
    expect(s.contributions[0]!.why).toContain('knife ×1.5; children present ×1.25 → 682.5 days');
    expect([s.weapons, s.childrenPresent]).toEqual([['KNIFE', 'OTHER'], true]);
  });

  it("takes an incident's latest version known at the time, dated by its first, and ignores versions not yet received", () => {
    const v1 = incident('CAD-1', 30, pair(V1), { abuseTypes: ['PHYSICAL'] });
    const v2 = incident('CAD-1', 29, pair(V1), { version: 2, abuseTypes: ['STRANGULATION'] });
    const v3 = incident('CAD-1', -1, pair(V1), { version: 3, abuseTypes: ['PHYSICAL'], injuries: ['LIFE_THREATENING'] });
    const s = score(v1, v2, v3);
    expect(s.contributions).toHaveLength(1);
    expect(s.contributions[0]).toMatchObject({ eventId: 'CAD-1:v2', occurredAt: NOW - 30 * DAY, offences: ['STRANGULATION'] });
    // The score changes when version 3 arrives.
    expect(s.nextChangeAt).toBe(NOW + DAY);
  });

  it('leaves out calls not flagged as domestic abuse, and says so', () => {
    const s = score(incident('CAD-1', 5, pair(V1), { domesticAbuse: false }));
    expect(s.score).toBe(0);
    expect(s.skipped).toEqual([{ eventId: 'CAD-1:v1', reason: 'incident CAD-1 is not flagged as domestic abuse' }]);
  });

  it('counts harm where it happened: a perpetrator scores in each borough, and the boroughs sum to the score', () => {
    const s = score(
      incident('CAD-1', 0, pair(V1), { boroughCode: LAMBETH, abuseTypes: ['COERCIVE_CONTROL'] }),
      incident('CAD-2', 0, pair(V2), { boroughCode: SOUTHWARK, abuseTypes: ['PHYSICAL'] }),
      incident('CAD-3', 180, pair(V2), { boroughCode: SOUTHWARK, abuseTypes: ['PHYSICAL'] }),
    );
    // Two victims: ×1.5 everywhere.
    expect(s.perBorough[LAMBETH]).toBeCloseTo(364 * 1.5, 9);
    expect(s.perBorough[SOUTHWARK]).toBeCloseTo((20 + 10) * 1.5, 9);
    expect(s.perBorough[LAMBETH]! + s.perBorough[SOUTHWARK]!).toBeCloseTo(s.score, 9);
    expect(s.boroughs[SOUTHWARK]).toMatchObject({ incidents: 2, lastIncidentAt: NOW });
    expect(s.incidents12m).toBe(3);
  });

  it('adds an order breach (84 days) and an unlinked conviction; not an arrest, nor a conviction for an incident already counted', () => {
    const s = score(
      incident('CAD-1', 60, pair(V1), { abuseTypes: ['COERCIVE_CONTROL'] }),
      justice('J-ARREST', 59, P, [], { what: 'ARREST', offences: ['ABH'] }),
      justice('J-CONV-1', 50, P, [V1], { what: 'CHARGE_OUTCOME', offences: ['CCB'], outcome: 'CONVICTED' }, { incidentId: 'CAD-1' }),
      justice('J-CONV-2', 40, P, [V2], { what: 'CHARGE_OUTCOME', offences: ['s.47 ABH', 'Pub brawl'], outcome: 'CONVICTED' }, { boroughCode: CROYDON }),
      justice('J-BREACH', 0, P, [V1], { what: 'PROTECTIVE_ORDER', orderId: 'O1', orderType: 'DVPO', action: 'BREACHED', startsAt: null, expiresAt: null, conditions: [] }),
      // Someone else breaching an order that protects this perpetrator is not this perpetrator's harm.
      justice('J-OTHER', 0, V3, [P], { what: 'PROTECTIVE_ORDER', orderId: 'O2', orderType: 'DVPO', action: 'BREACHED', startsAt: null, expiresAt: null, conditions: [] }),
    );
    expect(s.contributions.map((c) => [c.kind, c.eventId, c.boroughCode, c.baseHarm])).toEqual([
      ['ORDER_BREACH', 'J-BREACH', LAMBETH, 84],
      ['CONVICTION', 'J-CONV-2', CROYDON, 365],
      ['INCIDENT', 'CAD-1:v1', LAMBETH, 364],
    ]);
    expect(s.victimEntityIds).toEqual([V1, V2]);
    expect(s.skipped).toEqual([
      { eventId: 'J-CONV-1', reason: 'convicted for incident CAD-1, whose harm is already counted' },
      { eventId: 'J-CONV-2', reason: 'offences the harm table does not know: Pub brawl' },
    ]);
    expect(s.contributions[0]!.why).toBe('Breach of DVPO O1, 25 Nov 2026 in Lambeth: breach of order 84 d → 84 days; 0 days ago, decay 1.000 → 84');
  });

  it('keeps the same time-invariant key at any moment until a record leaves the window', () => {
    const events = [incident('CAD-1', 100, pair(V1), { abuseTypes: ['STALKING'] }), incident('CAD-2', 3, pair(V2), { weapons: ['KNIFE'] })];
    const early = harmScore(P, historyOf(P, events), NOW);
    const later = harmScore(P, historyOf(P, events), NOW + 200 * DAY);
    expect(later.scoreAtEpoch).toBe(early.scoreAtEpoch);
    expect(later.score).toBe(scoreAt(early.scoreAtEpoch, NOW + 200 * DAY, 180));
    expect(later.score / early.score).toBeCloseTo(Math.pow(2, -200 / 180), 12);
    expect(early.nextChangeAt).toBe(NOW - 100 * DAY + 365 * DAY + 1);
    const after = harmScore(P, historyOf(P, events), early.nextChangeAt!);
    expect(after.contributions.map((c) => c.incidentId)).toEqual(['CAD-2']);
  });

  it('scores with a changed configuration', () => {
    const config = resolveHarmConfig({ halfLifeDays: 90, victims: { step: 1 } });
    const s = harmScore(P, historyOf(P, [incident('CAD-1', 90, pair(V1)), incident('CAD-2', 90, pair(V2))]), NOW, config);
    expect(s.score).toBeCloseTo((10 + 10) * 2, 9);
  });
});
