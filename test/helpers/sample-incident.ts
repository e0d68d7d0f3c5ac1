// A synthetic IncidentReported as call handling would send it: every detail
// invented, typed the way a call handler types under pressure.
export function sampleIncident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const receivedAt = Date.UTC(2026, 10, 25, 21, 14, 5);
  return {
    incidentId: 'CAD-20261125-4471',
    eventId: 'evt-4471-v1',
    version: 1,
    source: 'EMERGENCY_999',
    reportedAt: receivedAt - 60_000,
    receivedAt,
    boroughCode: 'E09000022',
    location: { addressLines: ['Flat 2', '10 Acacia Rd'], postcode: 'se11 4aa', uprn: null, latitude: 51.4861, longitude: -0.1112 },
    parties: [
      {
        partyId: 'P1',
        roles: ['VICTIM', 'CALLER'],
        name: { title: 'Ms', given: 'Jo', middle: null, family: 'EXAMPLE-TESTER', full: null, aliases: [] },
        dateOfBirth: '3/4/91',
        ageYears: null,
        gender: 'F',
        phones: ['07700 900123'],
        emails: [],
        addresses: ['Flat 2, 10 Acacia Rd, SE11 4AA'],
        relationshipToVictim: null,
      },
      {
        partyId: 'P2',
        roles: ['SUSPECT'],
        name: { title: null, given: null, middle: null, family: null, full: 'SAMPLE, Robert', aliases: ['Bob'] },
        dateOfBirth: null,
        ageYears: 40,
        gender: 'M',
        phones: ['+44 (0)7700-900456'],
        emails: [],
        addresses: [],
        relationshipToVictim: 'ex-partner',
      },
    ],
    domesticAbuse: true,
    abuseTypes: ['COERCIVE_CONTROL', 'THREATS_TO_KILL'],
    weapons: [{ kind: 'KNIFE', description: 'kitchen knife' }],
    childrenPresent: true,
    childrenCount: 2,
    injuries: [],
    callGrade: 'IMMEDIATE',
    riskLevel: 'HIGH',
    ...overrides,
  };
}
