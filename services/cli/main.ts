// `dauntless <command> [args]`: one entry point for the operator tools.
// Each command lives in its own module and is loaded only when asked for, so
// `dauntless canon` does not pay for Kafka or Redis clients.

type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  canon: {
    summary: 'canonicalise phone numbers, names, addresses or dates of birth: one per line in, JSON lines out',
    load: () => import('./canon.ts'),
  },
  resolve: {
    summary: 'resolve the person records of any CSV to entities in the identity graph, in file order',
    load: () => import('./resolve.ts'),
  },
  explain: {
    summary: 'why each record belongs to a person entity: comparisons, levels, weights, merges',
    load: () => import('./explain.ts'),
  },
  tail: {
    summary: 'watch a topic live, decoded: pre-arrival intelligence as a dispatcher reads it, or JSON lines',
    load: () => import('./tail.ts'),
  },
  simulate: { summary: 'send a synthetic London call stream to Kafka at a steady rate, with the truth in a side file', load: () => import('./simulate.ts') },
  briefing: {
    summary: "a borough's Operation Dauntless briefing for its local policing team: the top five, why, and what changed (md or html)",
    load: () => import('./briefing.ts'),
  },
  target: {
    summary: "a perpetrator's harm score over time, with what moved it: is the tactical plan reducing harm?",
    load: () => import('./target.ts'),
  },
  rescore: {
    summary: "score people again from the graph onto the scorer's boards: a backfill (--all), or after a merge was undone",
    load: () => import('./rescore.ts'),
  },
  unmerge: {
    summary: 'reverse a wrong merge: restore both entities, keep them apart, resolve the records that joined since again',
    load: () => import('./unmerge.ts'),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length), 4);
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['Usage: dauntless <command> [args]', '', 'Commands:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`dauntless: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}
