import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { associatesFrom, judgedAt, victimsFirst } from './resolve-persons.ts';
import type { EntityHistory, GraphEvent } from '../../shared/graph/incident-graph.ts';

const sentAt = (timestamp: string) => ({ message: { timestamp } as KafkaMessage });

describe('the moment a call is judged at', () => {
  const now = Date.UTC(2026, 11, 3, 9, 0, 0);
  it("is the message's Kafka timestamp when this resolver's clock runs behind it (a slow clock refuses nothing)", () => {
    expect(judgedAt(now - 5 * 60_000, sentAt(String(now)))).toBe(now);
  });

  it("is this process's clock when the message was sent earlier (a backlog, a replay)", () => {
    expect(judgedAt(now, sentAt(String(now - 86_400_000)))).toBe(now);
  });

  it('ignores a timestamp that is not a time', () => {
    expect(judgedAt(now, sentAt('not a number'))).toBe(now);
  });
});

describe('the associates of the people a call has recognised', () => {
  const incident = (eventId: string, parties: [string | undefined, string[]][]): GraphEvent => ({
    facts: { kind: 'incident', eventId, parties: parties.map(([, roles], i) => ({ partyId: `P${i}`, recordId: `${eventId}:P${i}`, roles, relationshipToVictim: null })) } as never,
    partyEntityIds: parties.map(([id]) => id),
  });
  const history = (entityId: string, ...events: GraphEvent[]): EntityHistory => ({ entityId, events });

  it('are the other parties of their earlier incidents, with every role each played there', () => {
    const associates = associatesFrom(
      [
        history(
          'Victim',
          incident('e1', [['Victim', ['VICTIM']], ['Him', ['SUSPECT']], ['Child', ['CHILD']]]),
          incident('e2', [['Victim', ['VICTIM', 'CALLER']], ['Him', ['SUSPECT', 'CALLER']], [undefined, ['WITNESS']]]),
        ),
      ],
      ['Victim'],
      'this-call',
    );
    expect(associates).toEqual(new Map([['Him', new Set(['SUSPECT', 'CALLER'])], ['Child', new Set(['CHILD'])]]));
  });

  it('leave out the recognised people themselves, the call itself (a replay finds it recorded) and justice events', () => {
    const justice: GraphEvent = { facts: { kind: 'justice', eventId: 'j1', parties: [{ recordId: 'j1:subject', role: 'SUBJECT' }, { recordId: 'j1:related-0', role: 'RELATED' }] } as never, partyEntityIds: ['Victim', 'Solicitor'] };
    const associates = associatesFrom(
      [history('Victim', incident('this-call', [['Victim', ['VICTIM']], ['Sister', ['SUSPECT']]]), justice), history('Her mother', incident('e3', [['Her mother', ['VICTIM']], ['Victim', ['WITNESS']]]))],
      ['Victim', 'Her mother'],
      'this-call',
    );
    expect(associates).toEqual(new Map());
  });
});

describe('the order an incident\'s parties are resolved in for associates', () => {
  it('is the victims first, then the others as they came', () => {
    expect(victimsFirst([{ roles: ['SUSPECT'] }, { roles: ['WITNESS'] }, { roles: ['CALLER', 'VICTIM'] }, { roles: ['VICTIM'] }])).toEqual([2, 3, 0, 1]);
    expect(victimsFirst([{ roles: ['VICTIM'] }, { roles: ['SUSPECT'] }])).toEqual([0, 1]);
    expect(victimsFirst([{}, { roles: ['SUSPECT'] }])).toEqual([0, 1]);
  });
});
