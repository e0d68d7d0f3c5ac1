import { describe, expect, it } from 'vitest';
import { sampleIncident } from '../../test/helpers/sample-incident.ts';
import { partyToPersonRecord } from './party-record.ts';
import type { IncidentReported } from '../contracts/incident.ts';

describe('partyToPersonRecord', () => {
  const incident = sampleIncident() as unknown as IncidentReported;

  it('keys the record by event and party, and keeps the details as typed', () => {
    expect(partyToPersonRecord(incident, incident.parties[0]!)).toEqual({
      recordId: 'evt-4471-v1:P1',
      source: 'cad:CAD-20261125-4471',
      fields: { given_name: 'Jo', family_name: 'EXAMPLE-TESTER', dob: '3/4/91', gender: 'F', phones: ['07700 900123'], addresses: ['Flat 2, 10 Acacia Rd, SE11 4AA'] },
    });
  });

  it('passes a full name, aliases and an age when that is all there is', () => {
    expect(partyToPersonRecord(incident, incident.parties[1]!).fields).toEqual({
      full_name: 'SAMPLE, Robert',
      aliases: ['Bob'],
      age: 40,
      gender: 'M',
      phones: ['+44 (0)7700-900456'],
    });
  });
});
