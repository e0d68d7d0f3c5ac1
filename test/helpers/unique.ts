import { randomBytes } from 'node:crypto';

// Each test gets its own topics, subjects, consumer groups and Redis key
// prefixes, so tests sharing one set of servers never see each other's data.
export function uniqueName(prefix: string): string {
  return `test.${prefix}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}
