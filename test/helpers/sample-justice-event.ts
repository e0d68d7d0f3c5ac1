// A synthetic JusticeEvent as custody, courts or safeguarding would send it:
// every detail invented. The same two people as sample-incident.ts (the
// victim Jo EXAMPLE-TESTER, the perpetrator Robert SAMPLE), recorded by
// another system, so typed another way. `detail` is wrapped as the codec
// needs it: `{ "uk.police.dauntless.justice.<Branch>": {...} }`.
import { wrapDetail, type JusticeDetailName, type JusticeDetails } from '../../shared/contracts/justice-event.ts';

const DAY = 86_400_000;

/** The perpetrator as custody records him: PNC id, date of birth, mobile. */
export const samplePerpetrator = () => ({
  systemRef: '09/123456H',
  given: 'ROBERT',
  family: 'SAMPLE',
  full: null,
  dateOfBirth: '1985-06-14',
  phones: ['07700900456'],
  addresses: [],
});

/** The victim as a safeguarding referral records her. */
export const sampleVictim = () => ({
  systemRef: null,
  given: 'Joanne',
  family: 'Example-Tester',
  full: null,
  dateOfBirth: '1991-04-03',
  phones: ['+44 7700 900123'],
  addresses: ['Flat 2, 10 Acacia Road, London SE11 4AA'],
});

export function sampleDetail<K extends JusticeDetailName>(type: K, value: JusticeDetails[K]) {
  return wrapDetail(type, value);
}

/** A 28-day DVPO issued against the perpetrator protecting the victim (from `occurredAt`), unless overridden. */
export function sampleJusticeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const occurredAt = (overrides.occurredAt as number | undefined) ?? Date.UTC(2026, 10, 20, 14, 30, 0);
  return {
    eventId: 'JUS-20261120-0091',
    occurredAt,
    recordedAt: occurredAt + 15 * 60_000,
    boroughCode: 'E09000022',
    incidentId: null,
    subject: samplePerpetrator(),
    relatedPersons: [sampleVictim()],
    detail: wrapDetail('ProtectiveOrder', {
      orderId: 'DVPO-LX-2026-0311',
      orderType: 'DVPO',
      action: 'ISSUED',
      startsAt: occurredAt,
      expiresAt: occurredAt + 28 * DAY,
      conditions: ['not to contact the protected person', 'not to enter 10 Acacia Road'],
    }),
    ...overrides,
  };
}
