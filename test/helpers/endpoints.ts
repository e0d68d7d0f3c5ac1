import { inject } from 'vitest';
import type { Endpoints } from '../../shared/config/endpoints.ts';
import type { RegistryAuth } from '../../shared/config/credentials.ts';

/** The real servers found by global-setup.ts for this run. */
export function testEndpoints(): Endpoints {
  return inject('endpoints');
}

/**
 * The registry credentials tests use: provisioning's principal (dauntless-admin), since tests register
 * the schemas of topics of their own; undefined for a registry that admits anyone (the containers fallback).
 */
export function testRegistryAuth(): RegistryAuth | undefined {
  return inject('registryAuth');
}
