// Where the scorer's keys live beside the identity graph: one reading of
// DAUNTLESS_GRAPH and DAUNTLESS_SCORER_STATE for the scorer service, the CLI
// and the scripts, so none of them can disagree on a namespace.
import { DauntlessError } from '../errors/dauntless-error.ts';

const TAG = /\{([^}]+)\}/;

/** The scorer's namespace beside a graph: "dauntless:{g}" → "dauntless:{g-top5}", a hash tag of its own. */
export function scorerNamespaceFor(graphNamespace: string): string {
  if (!TAG.test(graphNamespace)) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_GRAPH=${graphNamespace} has no {hash tag}: write it like "dauntless:{g}" so a graph's keys share a Redis Cluster slot.`);
  }
  return graphNamespace.replace(TAG, (_, tag: string) => `{${tag}-top5}`);
}

/**
 * The web service's own keys beside a graph (tactical plans, acknowledgements): "dauntless:{g}" → "dauntless:{g-web}".
 * The local stack's Redis lets the web user write there and only read the graph and the boards (deploy/redis-acl.ts).
 */
export function webNamespaceFor(graphNamespace: string): string {
  return scorerNamespaceFor(graphNamespace).replace(/\{([^}]+)-top5\}/, (_, tag: string) => `{${tag}-web}`);
}

/** The graph and scorer namespaces, as every reader of the scorer's keys (service and CLI) finds them. */
export function loadNamespaces(env: NodeJS.ProcessEnv = process.env): { graphNamespace: string; stateNamespace: string } {
  const graphNamespace = env.DAUNTLESS_GRAPH || 'dauntless:{g}';
  const stateNamespace = env.DAUNTLESS_SCORER_STATE || scorerNamespaceFor(graphNamespace);
  if (!TAG.test(stateNamespace)) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_SCORER_STATE=${stateNamespace} has no {hash tag}: write it like "dauntless:{g-top5}" so the boards, which one update changes together, share a Redis Cluster slot.`);
  }
  if (stateNamespace === graphNamespace) {
    throw new DauntlessError('CONFIG_INVALID', `DAUNTLESS_SCORER_STATE equals DAUNTLESS_GRAPH (${graphNamespace}): give the scorer a namespace of its own, e.g. "${scorerNamespaceFor(graphNamespace)}".`);
  }
  return { graphNamespace, stateNamespace };
}
