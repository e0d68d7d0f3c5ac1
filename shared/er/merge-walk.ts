// The entity an id stands for now: an entity merged away points to the one
// that absorbed it (`mergedInto`), which may itself have been merged since.
// The walk is bounded, so a cycle written by a bug cannot hang a resolver;
// lib.lua's current() walks the same way inside Redis.

/** Longest chain of merges followed; real chains are a few hops. */
export const MERGE_HOPS = 64;

export function followMerges(id: string, survivorOf: (id: string) => string | undefined): string {
  for (let hops = 0; hops < MERGE_HOPS; hops++) {
    const next = survivorOf(id);
    if (next === undefined) return id;
    id = next;
  }
  return id;
}

export async function followMergesAsync(id: string, survivorOf: (id: string) => Promise<string | undefined>): Promise<string> {
  for (let hops = 0; hops < MERGE_HOPS; hops++) {
    const next = await survivorOf(id);
    if (next === undefined) return id;
    id = next;
  }
  return id;
}
