import { inject } from 'vitest';
import type { Endpoints } from '../../shared/config/endpoints.ts';

/** The real servers found by global-setup.ts for this run. */
export function testEndpoints(): Endpoints {
  return inject('endpoints');
}
