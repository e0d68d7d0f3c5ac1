import { describe, expect, it } from 'vitest';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import type { IncidentTruth } from '../../shared/synth/call-stream.ts';
import { scorePipeline } from './eval.ts';

const DAY = 86_400_000;

function call(incidentId: string, at: number, parties: [string, string, string[]][]): IncidentTruth {
  return {
    incidentId,
    eventId: `E-${incidentId}`,
    receivedAt: at,
    relationshipId: 'R1',
    counterAllegation: false,
    parties: parties.map(([partyId, personId, roles]) => ({ partyId, personId, roles })) as IncidentTruth['parties'],
  };
}

/** Intelligence that says, per party, how many incidents it knows of in the last 12 months. */
function intel(known: Record<string, number>): PreArrivalIntelligence {
  return {
    persons: Object.entries(known).map(([partyId, n]) => ({ partyId, roles: [], entityId: `P-${partyId}`, incidentsLast12Months: n, previousIncidents: [] })),
  } as unknown as PreArrivalIntelligence;
}

describe('scorePipeline', () => {
  const truths = [
    call('I1', 0, [['P1', 'victim-a', ['VICTIM']], ['P2', 'suspect-b', ['SUSPECT']]]),
    call('I2', 10 * DAY, [['P1', 'victim-a', ['VICTIM']], ['P2', 'suspect-b', ['SUSPECT']]]),
    call('I3', 20 * DAY, [['P1', 'victim-c', ['VICTIM']], ['P2', 'suspect-b', ['SUSPECT']]]),
    call('I4', 30 * DAY, [['P1', 'victim-d', ['VICTIM']], ['P2', 'suspect-e', ['SUSPECT']]]),
  ];

  it('counts a suspect seen in an earlier call as a repeat suspect, recognised or missed', () => {
    const answers = new Map([
      ['I1', intel({ P1: 0, P2: 0 })],
      ['I2', intel({ P1: 1, P2: 1 })], // suspect recognised
      ['I3', intel({ P1: 0, P2: 0 })], // suspect missed
      ['I4', intel({ P1: 0, P2: 1 })], // a first-time suspect told "known"
    ]);
    const { repeatSuspect, repeatVictim } = scorePipeline(truths, answers);
    expect(repeatSuspect).toMatchObject({ tp: 1, fn: 1, fp: 1 });
    expect(repeatSuspect.recall).toBe(0.5);
    expect(repeatVictim).toMatchObject({ tp: 1, fn: 0, fp: 0 });
  });

  it('does not count a suspect whose earlier call is more than 12 months before', () => {
    const late = [truths[0]!, call('I9', 400 * DAY, [['P1', 'victim-x', ['VICTIM']], ['P2', 'suspect-b', ['SUSPECT']]])];
    const { repeatSuspect } = scorePipeline(late, new Map([['I1', intel({ P1: 0, P2: 0 })], ['I9', intel({ P1: 0, P2: 0 })]]));
    expect(repeatSuspect).toMatchObject({ tp: 0, fn: 0, fp: 0 });
  });
});
