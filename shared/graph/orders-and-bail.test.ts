import { describe, expect, it } from 'vitest';
import { DAY, NOW, historyOf, justice } from '../harm/test-support.ts';
import { ordersAndBailAt } from './orders-and-bail.ts';

describe('ordersAndBailAt', () => {
  it("gives a perpetrator's orders in force and bail conditions at a moment, by the intelligence's rules", () => {
    const issued = justice('J-1', 10, 'E-p', ['E-v'], { what: 'PROTECTIVE_ORDER', orderId: 'O-1', orderType: 'DVPO', action: 'ISSUED', startsAt: NOW - 10 * DAY, expiresAt: NOW + 18 * DAY, conditions: ['no contact'] });
    const expired = justice('J-2', 40, 'E-p', ['E-v'], { what: 'PROTECTIVE_ORDER', orderId: 'O-0', orderType: 'DVPN', action: 'ISSUED', startsAt: NOW - 40 * DAY, expiresAt: NOW - 38 * DAY, conditions: [] });
    const release = justice('J-3', 2, 'E-p', ['E-v'], {
      what: 'CUSTODY_RELEASE',
      releaseType: 'PRE_CHARGE_BAIL',
      bailExpiresAt: NOW + 60 * DAY,
      bailConditions: [
        { kind: 'NO_CONTACT', description: 'not to contact the victim', expiresAt: null },
        { kind: 'CURFEW', description: 'curfew 19:00 to 07:00', expiresAt: NOW - DAY },
      ],
    });
    const later = justice('J-4', -5, 'E-p', [], { what: 'PROTECTIVE_ORDER', orderId: 'O-2', orderType: 'SPO', action: 'ISSUED', startsAt: null, expiresAt: null, conditions: [] });
    expect(ordersAndBailAt(historyOf('E-p', [issued, expired, release, later]), NOW)).toEqual({
      activeOrders: [{ orderType: 'DVPO', expiresAt: NOW + 18 * DAY, conditions: ['no contact'] }],
      bailConditions: [{ kind: 'NO_CONTACT', description: 'not to contact the victim', expiresAt: NOW + 60 * DAY }],
    });
  });
});
