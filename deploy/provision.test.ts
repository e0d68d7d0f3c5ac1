import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { describeReplicationExceptions, planTopics, readSchema, topicSettingsFor } from './provision.ts';
import { MIN_INSYNC_REPLICAS, REPLICATION_FACTOR, TOPICS, type TopicDeclaration } from './topics.ts';

const incidents: TopicDeclaration = {
  name: 'cad.incidents.v1',
  purpose: 'test',
  key: 'incident id',
  partitions: 6,
  replicationFactor: 1,
  config: { 'cleanup.policy': 'delete', 'retention.ms': '1000' },
  valueSchema: 'incident-reported.avsc',
};

// As every declared topic: three copies, two in sync for an acknowledgement.
const replicated: TopicDeclaration = { ...incidents, replicationFactor: 3, config: { ...incidents.config, 'min.insync.replicas': '2' } };

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
    const existing = new Map([['cad.incidents.v1', { partitions: 6, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '1000', 'segment.ms': '1' } }]]);
    expect(planTopics([incidents], existing, 1)).toEqual({ create: [], alter: [], grow: [], larger: [], exceptions: [], underReplicated: [] });
  });

  it('sets drifted configs back to the declared values and adds missing partitions', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '5' } }]]);
    const plan = planTopics([incidents], existing, 1);
    expect(plan.alter).toEqual([{ topic: 'cad.incidents.v1', config: { 'retention.ms': '1000' } }]);
    expect(plan.grow).toEqual([{ topic: 'cad.incidents.v1', count: 6 }]);
  });

  it('never removes partitions, only reports a topic larger than declared', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 12, replicationFactor: 1, config: incidents.config }]]);
    const plan = planTopics([incidents], existing, 1);
    expect(plan.grow).toEqual([]);
    expect(plan.larger).toEqual([{ topic: 'cad.incidents.v1', partitions: 12, declared: 6 }]);
  });
});

describe('replication', () => {
  it('creates a topic on a real cluster with three copies and two in sync, as declared, and no exception', () => {
    const plan = planTopics([replicated], new Map(), 5);
    expect(plan.create[0]).toMatchObject({ replicationFactor: 3, configEntries: expect.arrayContaining([{ name: 'min.insync.replicas', value: '2' }]) });
    expect(plan.exceptions).toEqual([]);
  });

  it('on a single broker gives one copy and min.insync.replicas 1, and records the exception', () => {
    const plan = planTopics([replicated], new Map(), 1);
    expect(plan.create[0]).toMatchObject({ replicationFactor: 1, configEntries: expect.arrayContaining([{ name: 'min.insync.replicas', value: '1' }]) });
    expect(plan.exceptions).toEqual([
      { topic: 'cad.incidents.v1', declared: { replicationFactor: 3, minInsyncReplicas: 2 }, applied: { replicationFactor: 1, minInsyncReplicas: 1 } },
    ]);
    expect(describeReplicationExceptions(1, plan.exceptions)).toBe(
      'the cluster has 1 broker, so cad.incidents.v1 gets replication factor 1 and min.insync.replicas 1 (declared 3 and 2): the exception for a local stack, where a lost broker loses acknowledged messages; a real cluster needs at least 3 brokers.',
    );
  });

  it('on two brokers keeps two copies both in sync: an acknowledged message is still on two brokers', () => {
    expect(topicSettingsFor(replicated, 2)).toMatchObject({ replicationFactor: 2, config: { 'min.insync.replicas': '2' }, exception: { applied: { replicationFactor: 2, minInsyncReplicas: 2 } } });
  });

  it('leaves the single broker\'s existing topics alone (min.insync.replicas 1 is what it can have)', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 6, replicationFactor: 1, config: { ...incidents.config, 'min.insync.replicas': '1' } }]]);
    const plan = planTopics([replicated], existing, 1);
    expect(plan.alter).toEqual([]);
    expect(plan.underReplicated).toEqual([]);
  });

  it('on a real cluster sets min.insync.replicas on an existing topic, and reports one with too few copies', () => {
    const existing = new Map([['cad.incidents.v1', { partitions: 6, replicationFactor: 1, config: { ...incidents.config, 'min.insync.replicas': '1' } }]]);
    const plan = planTopics([replicated], existing, 3);
    expect(plan.alter).toEqual([{ topic: 'cad.incidents.v1', config: { 'min.insync.replicas': '2' } }]);
    expect(plan.underReplicated).toEqual([{ topic: 'cad.incidents.v1', replicationFactor: 1, wanted: 3 }]);
  });

  it('is declared for every topic: three copies, two in sync', () => {
    for (const topic of TOPICS) {
      expect(topic.replicationFactor).toBe(REPLICATION_FACTOR);
      expect(topic.config['min.insync.replicas']).toBe(String(MIN_INSYNC_REPLICAS));
    }
    expect([REPLICATION_FACTOR, MIN_INSYNC_REPLICAS]).toEqual([3, 2]);
  });
});

describe('declared topics', () => {
  it('have unique names, versioned, each with a value schema that parses as Avro', () => {
    const names = TOPICS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const topic of TOPICS) {
      expect(topic.name).toMatch(/\.v\d+$/);
      const file = topic.valueSchema;
      if (file === null) continue;
      expect(() => avro.Type.forSchema(readSchema(file) as avro.Schema)).not.toThrow();
    }
  });

  it('give every input topic a dead-letter topic', () => {
    const names = new Set(TOPICS.map((t) => t.name));
    for (const input of ['cad.incidents.v1', 'justice.events.v1', 'graph.events.v1']) {
      expect(names).toContain(input.replace(/\.v1$/, '.dlq.v1'));
    }
  });
});
