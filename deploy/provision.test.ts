import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { planTopics, readSchema } from './provision.ts';
import { TOPICS, type TopicDeclaration } from './topics.ts';

const incidents: TopicDeclaration = {
  name: 'cad.incidents.v1',
  purpose: 'test',
  key: 'incident id',
  partitions: 6,
  config: { 'cleanup.policy': 'delete', 'retention.ms': '1000' },
  valueSchema: 'incident-reported.avsc',
};

describe('planTopics', () => {
  it('creates a declared topic the broker lacks, with its partitions and configs', () => {
    const plan = planTopics([incidents], new Map(), 1);
    expect(plan.create).toEqual([
      {
        topic: 'cad.incidents.v1',
        numPartitions: 6,
        replicationFactor: 1,
        configEntries: [
          { name: 'cleanup.policy', value: 'delete' },
          { name: 'retention.ms', value: '1000' },
        ],
      },
    ]);
    expect(plan.alter).toEqual([]);
  });

  it('changes nothing when the broker already matches the declaration', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 6, config: { 'cleanup.policy': 'delete', 'retention.ms': '1000', 'segment.ms': '1' } }]]);
    expect(planTopics([incidents], existing, 1)).toEqual({ create: [], alter: [], grow: [], larger: [] });
  });

  it('sets drifted configs back to the declared values and adds missing partitions', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 3, config: { 'cleanup.policy': 'delete', 'retention.ms': '5' } }]]);
    const plan = planTopics([incidents], existing, 1);
    expect(plan.alter).toEqual([{ topic: 'cad.incidents.v1', config: { 'retention.ms': '1000' } }]);
    expect(plan.grow).toEqual([{ topic: 'cad.incidents.v1', count: 6 }]);
  });

  it('never removes partitions, only reports a topic larger than declared', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 12, config: incidents.config }]]);
    const plan = planTopics([incidents], existing, 1);
    expect(plan.grow).toEqual([]);
    expect(plan.larger).toEqual([{ topic: 'cad.incidents.v1', partitions: 12, declared: 6 }]);
  });
});

describe('declared topics', () => {
  it('have unique names, versioned, each with a value schema that parses as Avro', () => {
    const names = TOPICS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const topic of TOPICS) {
      expect(topic.name).toMatch(/\.v\d+$/);
      expect(() => avro.Type.forSchema(readSchema(topic.valueSchema) as avro.Schema)).not.toThrow();
    }
  });

  it('give every input topic a dead-letter topic', () => {
    const names = new Set(TOPICS.map((t) => t.name));
    for (const input of ['cad.incidents.v1', 'justice.events.v1', 'graph.events.v1']) {
      expect(names).toContain(input.replace(/\.v1$/, '.dlq.v1'));
    }
  });
});
