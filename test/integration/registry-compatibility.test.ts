import { afterAll, describe, expect, it } from 'vitest';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { readSchema } from '../../deploy/provision.ts';
import { TOPICS } from '../../deploy/topics.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { uniqueName } from '../helpers/unique.ts';

const registry = createRegistryAdmin({ url: testEndpoints().schemaRegistryUrl, auth: testRegistryAuth() });
const subject = uniqueName('compat') + '-value';

type AvroRecord = { fields: Array<Record<string, unknown>> } & Record<string, unknown>;
const v1 = readSchema('incident-reported.avsc') as AvroRecord;

afterAll(async () => {
  await registry.deleteSubject(subject).catch(() => undefined);
});

describe('the registry under BACKWARD compatibility', () => {
  it('accepts a new field with a default, and rejects a new required field and a changed field type', async () => {
    await registry.setCompatibility(subject, 'BACKWARD');
    expect(await registry.getCompatibility(subject)).toBe('BACKWARD');
    const firstId = await registry.register(subject, v1);

    const withOptionalField = { ...v1, fields: [...v1.fields, { name: 'controlRoom', type: ['null', 'string'], default: null }] };
    expect(await registry.isCompatible(subject, withOptionalField)).toBe(true);
    const secondId = await registry.register(subject, withOptionalField);
    expect(secondId).not.toBe(firstId);

    // New readers could not read old incidents that lack the field: refused.
    const withRequiredField = { ...withOptionalField, fields: [...withOptionalField.fields, { name: 'operatorId', type: 'string' }] };
    expect(await registry.isCompatible(subject, withRequiredField)).toBe(false);
    await expect(registry.register(subject, withRequiredField)).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });

    const boroughAsInt = { ...v1, fields: v1.fields.map((f) => (f.name === 'boroughCode' ? { ...f, type: 'int' } : f)) };
    await expect(registry.register(subject, boroughAsInt)).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });

    // Nothing was registered by the refusals: the latest is still the second version.
    expect((await registry.latest(subject))?.id).toBe(secondId);
  });

  it('gives the same schema the same id when it is registered again', async () => {
    const id = await registry.register(subject, v1);
    expect(await registry.register(subject, v1)).toBe(id);
  });

  it('holds every declared topic value schema under BACKWARD after provisioning', async () => {
    for (const topic of TOPICS) {
      if (topic.valueSchema === null) continue;
      const s = valueSubject(topic.name);
      expect(await registry.getCompatibility(s), s).toBe('BACKWARD');
      const latest = await registry.latest(s);
      expect(latest, s).toBeDefined();
      expect(JSON.parse(latest!.schema)).toEqual(readSchema(topic.valueSchema));
    }
  });
});
