import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE, composeDocument, composeFileText, toYaml } from './compose.ts';
import { IMAGES, KAFKA_VERSION } from './servers.ts';

describe('docker-compose.yml', () => {
  it('is what the declarations generate (run `npm run compose:generate` after changing them)', () => {
    expect(readFileSync(COMPOSE_FILE, 'utf8')).toBe(composeFileText());
  });

  it('runs the same Kafka version as the local stack, with auto-creation off and topics made by provisioning', () => {
    const services = composeDocument().services as Record<string, any>;
    expect(services.kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
    expect(services.kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(services.registry.image).toBe(IMAGES.registry);
    expect(services.provision.command.join(' ')).toContain('deploy/provision.ts');
    expect(services.resolver.command.join(' ')).toContain('services/resolver/main.ts');
    expect(services.resolver.depends_on.provision.condition).toBe('service_completed_successfully');
    expect(services.scorer.command.join(' ')).toContain('services/scorer/main.ts');
    expect(services.scorer.depends_on.provision.condition).toBe('service_completed_successfully');
  });

  it("publishes the services' metrics on the host's loopback only", () => {
    const services = composeDocument().services as Record<string, any>;
    expect(services.resolver.ports).toEqual(['127.0.0.1:9464:9464']);
    expect(services.scorer.ports).toEqual(['127.0.0.1:9465:9465']);
    expect(services.resolver.environment.DAUNTLESS_METRICS_HOST).toBe('0.0.0.0');
  });
});

describe('toYaml', () => {
  it('quotes every string so nothing is read back as a number or a boolean', () => {
    expect(toYaml({ a: 'yes', b: '8080', c: ['1', { d: 'x' }], e: 3, f: {} })).toBe(
      '\na: "yes"\nb: "8080"\nc:\n  - "1"\n  - d: "x"\ne: 3\nf: {}',
    );
  });
});
