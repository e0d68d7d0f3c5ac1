import { describe, expect, it } from 'vitest';
import { followMerges, followMergesAsync, MERGE_HOPS } from './merge-walk.ts';

const chain = new Map([['a', 'b'], ['b', 'c']]);

describe('following merges', () => {
  it('gives the entity an id stands for now, through every merge since', async () => {
    expect(followMerges('a', (id) => chain.get(id))).toBe('c');
    expect(followMerges('c', (id) => chain.get(id))).toBe('c');
    expect(await followMergesAsync('a', async (id) => chain.get(id))).toBe('c');
  });

  it('stops after MERGE_HOPS on a cycle, so a bad graph cannot hang a resolver', async () => {
    const cycle = new Map([['x', 'y'], ['y', 'x']]);
    let reads = 0;
    expect(['x', 'y']).toContain(followMerges('x', (id) => (reads++, cycle.get(id))));
    expect(reads).toBe(MERGE_HOPS);
    expect(['x', 'y']).toContain(await followMergesAsync('x', async (id) => cycle.get(id)));
  });
});
