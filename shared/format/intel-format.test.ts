import { describe, expect, it } from 'vitest';
import type { PersonIntelligence, PreArrivalIntelligence } from '../contracts/intelligence.ts';
import { formatDelay, formatIntelligence, incompleteWords, useColour } from './intel-format.ts';

// 25 Nov 2026, 14:03:07 in London (GMT).
const RECEIVED = Date.UTC(2026, 10, 25, 14, 3, 7);

const person = (over: Partial<PersonIntelligence>): PersonIntelligence => ({
  partyId: 'P1',
  roles: ['VICTIM'],
  entityId: 'E-0001',
  match: 'NEW_PERSON',
  matchProbability: null,
  matchEvidence: [],
  previousIncidents: [],
  incidentsLast12Months: 0,
  incidentsAllTime: 0,
  highestRiskLevel: null,
  latestRiskLevel: null,
  maracLast12Months: false,
  repeatMarac: false,
  serialPerpetrator: false,
  otherVictimEntityIds: [],
  weaponsMentionedBefore: [],
  activeOrders: [],
  bailConditions: [],
  childrenAtAddress: false,
  counterAllegation: false,
  ...over,
});

const noHistory: PreArrivalIntelligence = {
  incidentId: 'CAD-2026-000042',
  sourceEventId: 'evt-42',
  boroughCode: 'E09000008',
  receivedAt: RECEIVED,
  generatedAt: RECEIVED + 420,
  summary: 'No previous incidents known for anyone in this call.',
  hasHistory: false,
  incomplete: [],
  warningMarkers: [],
  persons: [
    person({ partyId: 'P1', roles: ['VICTIM', 'CALLER'], entityId: 'E-0001' }),
    person({ partyId: 'P2', roles: ['SUSPECT'], entityId: 'E-0002' }),
  ],
};

const rich: PreArrivalIntelligence = {
  incidentId: 'CAD-2026-000043',
  sourceEventId: 'evt-43',
  boroughCode: 'E09000022',
  receivedAt: RECEIVED,
  generatedAt: RECEIVED + 1_250,
  summary: 'Victim: 3 previous incidents (2 in 12 months, highest risk HIGH). FIREARM mentioned before.',
  hasHistory: true,
  incomplete: [],
  warningMarkers: ['FIREARM_MENTIONED_BEFORE', 'REPEAT_VICTIM', 'SERIAL_PERPETRATOR'],
  persons: [
    person({
      partyId: 'P1',
      roles: ['VICTIM', 'CALLER'],
      entityId: 'E-0100',
      match: 'MATCHED',
      matchProbability: 0.99871,
      incidentsLast12Months: 2,
      incidentsAllTime: 3,
      highestRiskLevel: 'HIGH',
      latestRiskLevel: 'MEDIUM',
      maracLast12Months: true,
      repeatMarac: true,
      childrenAtAddress: true,
    }),
    person({
      partyId: 'P2',
      roles: ['SUSPECT'],
      entityId: 'E-0200',
      match: 'POSSIBLE_MATCH',
      matchProbability: 0.72,
      incidentsLast12Months: 1,
      incidentsAllTime: 4,
      highestRiskLevel: 'HIGH',
      latestRiskLevel: 'HIGH',
      serialPerpetrator: true,
      otherVictimEntityIds: ['E-0300'],
      counterAllegation: true,
      weaponsMentionedBefore: ['FIREARM', 'KNIFE'],
      activeOrders: [
        { orderType: 'NON_MOLESTATION', expiresAt: Date.UTC(2027, 2, 3), conditions: ['NO_CONTACT', 'EXCLUSION_ZONE'] },
        { orderType: 'RESTRAINING', expiresAt: null, conditions: [] },
      ],
      bailConditions: [{ kind: 'NO_CONTACT', description: 'not to contact the victim directly or indirectly', expiresAt: Date.UTC(2026, 11, 9) }],
    }),
  ],
};

describe('formatIntelligence', () => {
  it('says plainly that nobody in a call is known, one line per person', () => {
    expect(formatIntelligence(noHistory)).toBe(
      [
        '== CAD-2026-000042  Croydon  received 2026-11-25 14:03:07  intel after 420 ms',
        '  No previous incidents known for anyone in this call.',
        '  * VICTIM/CALLER  entity E-0001  new person  no previous incidents',
        '  * SUSPECT  entity E-0002  new person  no previous incidents',
      ].join('\n'),
    );
  });

  it('shows the markers and, per person, history, risk, MARAC, serial, counter-allegation, weapons, children, orders and bail', () => {
    expect(formatIntelligence(rich)).toBe(
      [
        '== CAD-2026-000043  Lambeth  received 2026-11-25 14:03:07  intel after 1.3 s',
        '  Victim: 3 previous incidents (2 in 12 months, highest risk HIGH). FIREARM mentioned before.',
        '  !! FIREARM_MENTIONED_BEFORE  REPEAT_VICTIM  SERIAL_PERPETRATOR',
        '  * VICTIM/CALLER  entity E-0100  matched p=0.999',
        '      previous incidents: 2 in 12 months, 3 in all | risk: highest HIGH, latest MEDIUM',
        '      MARAC in last 12 months | repeat MARAC | children at address',
        '  * SUSPECT  entity E-0200  POSSIBLE match p=0.720: check identity',
        '      previous incidents: 1 in 12 months, 4 in all | risk: highest HIGH, latest HIGH',
        '      SERIAL perpetrator (1 other victim: E-0300) | COUNTER-ALLEGATION: roles reversed before | weapons before: FIREARM, KNIFE',
        '      order NON_MOLESTATION until 3 Mar 2027 (NO_CONTACT, EXCLUSION_ZONE)',
        '      order RESTRAINING (no end date)',
        '      bail NO_CONTACT: not to contact the victim directly or indirectly (until 9 Dec 2026)',
      ].join('\n'),
    );
  });

  it('colours officer-safety lines only when asked, and the text stays the same', () => {
    const coloured = formatIntelligence(rich, { colour: true });
    expect(coloured).toContain('\u001b[1;31m!! FIREARM_MENTIONED_BEFORE  REPEAT_VICTIM  SERIAL_PERPETRATOR\u001b[0m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatIntelligence(rich));
    expect(formatIntelligence(rich)).not.toContain('\u001b');
  });

  it('names an unknown borough by its code, and keeps control characters from a message off the terminal', () => {
    const text = formatIntelligence({ ...noHistory, boroughCode: 'E09000001', incidentId: 'CAD\u001b[2J-1', summary: 'line one\nline two' });
    expect(text.split('\n')[0]).toBe('== CAD [2J-1  borough E09000001  received 2026-11-25 14:03:07  intel after 420 ms');
    expect(text.split('\n')[1]).toBe('  line one line two');
    expect(text).not.toContain('\u001b');
  });

  it('writes London time, in summer too', () => {
    const summer = Date.UTC(2026, 6, 1, 12, 0, 0);
    expect(formatIntelligence({ ...noHistory, receivedAt: summer, generatedAt: summer + 5 }).split('\n')[0]).toContain('received 2026-07-01 13:00:00  intel after 5 ms');
  });
});

describe('intelligence built without part of the picture', () => {
  it('says under the markers that the justice records were behind, and how far, and says nothing when nothing was missing', () => {
    const behind = { ...noHistory, incomplete: [{ reason: 'JUSTICE_BEHIND', partitions: [0, 2], messagesBehind: 340 }] };
    expect(formatIntelligence(behind).split('\n')[2]).toBe('  ?? Built without the latest justice records (340 records behind): orders, bail and MARAC may be missing.');
    expect(formatIntelligence(noHistory)).not.toContain('??');
  });

  it('says so when how far is not known yet, and reads intelligence written before the field', () => {
    expect(incompleteWords({ reason: 'JUSTICE_BEHIND', partitions: [1], messagesBehind: null })).toBe('Built without the latest justice records (not read yet): orders, bail and MARAC may be missing.');
    const { incomplete: _incomplete, ...older } = noHistory;
    expect(formatIntelligence(older as PreArrivalIntelligence)).toBe(formatIntelligence(noHistory));
  });
});

describe('formatDelay', () => {
  it('reads in ms under a second, seconds under a minute, then minutes', () => {
    expect([0, 999, 1_000, 12_345, 61_000, 252_400].map(formatDelay)).toEqual(['0 ms', '999 ms', '1.0 s', '12.3 s', '1 min 1 s', '4 min 12 s']);
    expect(formatDelay(-50)).toBe('50 ms before the call (clock skew)');
  });
});

describe('useColour', () => {
  it('colours a terminal unless NO_COLOR is set, and never a pipe', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });
});
