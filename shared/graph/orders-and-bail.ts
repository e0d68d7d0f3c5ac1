// The orders, bail and justice events in force for a person at a moment,
// read from their history on the identity graph. One set of rules for the
// pre-arrival intelligence and the LPT briefing, so both say the same.
// Pure. The rules (docs/DOMAIN.md "Orders and events"):
//   active order     ISSUED or VARIED (a BREACHED order stays in force), not EXPIRED or DISCHARGED since,
//                    started and not past expiresAt at the moment; on the person it binds and the persons it protects
//   bail conditions  the person's latest custody release, unless a charge outcome has disposed of the case since;
//                    its conditions not past their expiry (or the bail's) at the moment
import type { ActiveBailCondition, ActiveOrder } from '../contracts/intelligence.ts';
import type { EntityHistory } from './incident-graph.ts';
import type { JusticeFacts } from './justice-facts.ts';

/** A justice event known before the call, with the entities it names now, by role. */
export type JusticeSeen = { facts: JusticeFacts; subjects: Set<string>; related: Set<string> };

/** The justice events of all the call's parties that happened before it (before `at`), once each, oldest first. */
export function justiceBefore(histories: readonly EntityHistory[], at: number): JusticeSeen[] {
  const byId = new Map<string, JusticeSeen>();
  for (const history of histories) {
    for (const { facts, partyEntityIds } of history.events) {
      if (facts.kind !== 'justice' || facts.occurredAt >= at || byId.has(facts.eventId)) continue;
      const seen: JusticeSeen = { facts, subjects: new Set(), related: new Set() };
      facts.parties.forEach((party, i) => {
        const entityId = partyEntityIds[i];
        if (entityId) (party.role === 'SUBJECT' ? seen.subjects : seen.related).add(entityId);
      });
      byId.set(facts.eventId, seen);
    }
  }
  return [...byId.values()].sort((a, b) => a.facts.occurredAt - b.facts.occurredAt || a.facts.eventId.localeCompare(b.facts.eventId));
}

export type Narrow<W extends JusticeFacts['what']> = JusticeSeen & { facts: Extract<JusticeFacts, { what: W }> };
export const isWhat = <W extends JusticeFacts['what']>(what: W) => (j: JusticeSeen): j is Narrow<W> => j.facts.what === what;

/** An order as its events, in order, leave it; who it binds (subjects) and protects (related), over all its events. */
export type OrderState = { order: ActiveOrder; startsAt: number | null; inForce: boolean; bound: Set<string>; protects: Set<string> };

/** The orders in force at `at`, by order id. */
export function ordersInForce(justice: readonly JusticeSeen[], at: number): OrderState[] {
  const orders = new Map<string, OrderState>();
  for (const { facts, subjects, related } of justice.filter(isWhat('PROTECTIVE_ORDER'))) {
    let state = orders.get(facts.orderId);
    if (!state) {
      // A variation or breach of an order whose issue we never saw: the order exists, with what this event says.
      state = { order: { orderType: facts.orderType, expiresAt: facts.expiresAt, conditions: [...facts.conditions] }, startsAt: facts.startsAt, inForce: false, bound: new Set(), protects: new Set() };
      orders.set(facts.orderId, state);
    }
    subjects.forEach((e) => state.bound.add(e));
    related.forEach((e) => state.protects.add(e));
    switch (facts.action) {
      case 'ISSUED':
        state.order = { orderType: facts.orderType, expiresAt: facts.expiresAt, conditions: [...facts.conditions] };
        state.startsAt = facts.startsAt;
        state.inForce = true;
        break;
      case 'VARIED':
        // A variation restates what it changes; what it leaves out stands.
        state.order = {
          orderType: facts.orderType,
          expiresAt: facts.expiresAt ?? state.order.expiresAt,
          conditions: facts.conditions.length ? [...facts.conditions] : state.order.conditions,
        };
        state.startsAt = facts.startsAt ?? state.startsAt;
        state.inForce = true;
        break;
      case 'BREACHED':
        // A breach does not end an order.
        state.inForce = true;
        break;
      default:
        // EXPIRED, DISCHARGED.
        state.inForce = false;
    }
  }
  return [...orders.values()].filter(
    (s) => s.inForce && (s.startsAt === null || s.startsAt <= at) && (s.order.expiresAt === null || s.order.expiresAt > at),
  );
}

/** Charge outcomes that dispose of a case, and with it the bail of the release before them. */
const DISPOSALS = ['NO_FURTHER_ACTION', 'CAUTIONED', 'CONVICTED', 'ACQUITTED'];

/** The bail conditions of a person's latest custody release still in force at `at`, with whom the release protects. */
export function bailInForce(justice: readonly JusticeSeen[], entityId: string, at: number): { conditions: ActiveBailCondition[]; protects: Set<string> } | undefined {
  const mine = justice.filter((j) => j.subjects.has(entityId));
  const latest = mine.filter(isWhat('CUSTODY_RELEASE')).at(-1);
  if (!latest) return undefined;
  const disposed = mine.filter(isWhat('CHARGE_OUTCOME')).some((c) => c.facts.occurredAt > latest.facts.occurredAt && DISPOSALS.includes(c.facts.outcome));
  const { bailExpiresAt, bailConditions } = latest.facts;
  if (disposed || (bailExpiresAt !== null && bailExpiresAt <= at)) return undefined;
  const conditions = bailConditions
    .map((c) => ({ kind: c.kind, description: c.description, expiresAt: c.expiresAt ?? bailExpiresAt }))
    .filter((c) => c.expiresAt === null || c.expiresAt > at);
  return conditions.length ? { conditions, protects: latest.related } : undefined;
}

export const byExpiry = (a: { expiresAt: number | null }, b: { expiresAt: number | null }) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity);

/**
 * A person's orders in force (binding or protecting them) and bail conditions at `at`, by the same rules as the
 * intelligence: for the LPT briefing, which shows them for each perpetrator.
 */
export function ordersAndBailAt(history: EntityHistory, at: number): { activeOrders: ActiveOrder[]; bailConditions: ActiveBailCondition[] } {
  const justice = justiceBefore([history], at);
  const id = history.entityId;
  return {
    activeOrders: ordersInForce(justice, at)
      .filter((o) => o.bound.has(id) || o.protects.has(id))
      .map((o) => o.order)
      .sort((a, b) => byExpiry(a, b) || a.orderType.localeCompare(b.orderType)),
    bailConditions: [...(bailInForce(justice, id, at)?.conditions ?? [])].sort((a, b) => byExpiry(a, b) || a.kind.localeCompare(b.kind)),
  };
}
