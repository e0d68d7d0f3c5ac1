// Who may see and do what: need-to-know, decided in one place for every route,
// page and `dauntless` command (docs/SECURITY.md has the table). Pure: the
// routes and commands ask these questions with what they know, and a refusal
// is audited by the caller.
//
// The roles are the force's: a call handler or dispatcher sees the live feed
// and the people in the calls they handle; an LPT officer their own
// borough's board, briefings, alerts and the people in them, never another
// borough's; an Operation Dauntless lead every borough; a supervisor may undo
// a merge or correct a record; an auditor reads the audit log and nothing
// else; an administrator runs the system and sees no personal data.
import { boroughByCode } from '../geography/boroughs.ts';

export const ROLES = ['call-handler', 'dispatcher', 'lpt-officer', 'dauntless-lead', 'supervisor', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export type WebUser = {
  /** The identity provider's subject. */
  subject: string;
  username: string;
  /** Display name, for the page header only: never logged or audited. */
  displayName: string;
  roles: ReadonlySet<Role>;
  /** ONS codes of the boroughs an LPT officer serves. */
  boroughs: readonly string[];
  /** A person signed in, or a system calling the API with a bearer token. */
  kind: 'PERSON' | 'SYSTEM';
};

export type Refusal = { allowed: false; code: 'FORBIDDEN' | 'PURPOSE_REQUIRED'; reason: string };
export type Permission = { allowed: true; purpose: string } | Refusal;

const allow = (purpose: string): Permission => ({ allowed: true, purpose });
const refuse = (reason: string, code: Refusal['code'] = 'FORBIDDEN'): Refusal => ({ allowed: false, code, reason });

const has = (user: WebUser, ...roles: Role[]) => roles.some((role) => user.roles.has(role));
export const isControlRoom = (user: WebUser) => has(user, 'call-handler', 'dispatcher');

export function rolesFrom(claimed: readonly unknown[]): Set<Role> {
  return new Set(claimed.filter((role): role is Role => typeof role === 'string' && (ROLES as readonly string[]).includes(role)));
}

/** The live feed of pre-arrival intelligence: the control room, and supervisors. */
export function mayWatchFeed(user: WebUser): Permission {
  return has(user, 'call-handler', 'dispatcher', 'supervisor') ? allow('control room feed') : refuse('The live feed is for call handlers, dispatchers and supervisors.');
}

/** One incident's intelligence: the control room (they handle calls anywhere), the borough's LPT, leads. */
export function mayReadIncident(user: WebUser, boroughCode: string): Permission {
  if (has(user, 'call-handler', 'dispatcher', 'supervisor')) return allow('incident handled by the control room');
  if (has(user, 'dauntless-lead')) return allow('Operation Dauntless lead');
  if (has(user, 'lpt-officer') && user.boroughs.includes(boroughCode)) return allow(`incident in own borough ${boroughCode}`);
  return refuse(`This incident is in borough ${boroughCode}, which is not yours.`);
}

/** A borough's board, briefing and alerts: its own LPT, leads and supervisors. */
export function mayReadBorough(user: WebUser, boroughCode: string): Permission {
  if (has(user, 'dauntless-lead')) return allow('Operation Dauntless lead');
  if (has(user, 'supervisor')) return allow('supervisor');
  if (has(user, 'lpt-officer') && user.boroughs.includes(boroughCode)) return allow(`own borough ${boroughCode}`);
  return refuse(has(user, 'lpt-officer') ? `Borough ${boroughCode} is not yours: an LPT sees its own borough only.` : 'Borough boards are for LPT officers, leads and supervisors.');
}

/** Every borough at once, targets and their tactical plans: Operation Dauntless leads (and supervisors, reading). */
export function mayReadAllBoroughs(user: WebUser): Permission {
  return has(user, 'dauntless-lead', 'supervisor') ? allow('Operation Dauntless lead') : refuse('Every borough at once is for Operation Dauntless leads.');
}

export function mayChangeTacticalPlan(user: WebUser, boroughCode: string): Permission {
  if (has(user, 'dauntless-lead')) return allow('Operation Dauntless lead');
  if (has(user, 'lpt-officer') && user.boroughs.includes(boroughCode)) return allow(`target in own borough ${boroughCode}`);
  return refuse('Tactical plans are changed by Operation Dauntless leads and the borough\'s LPT.');
}

export function mayAcknowledgeAlert(user: WebUser, boroughCode: string): Permission {
  if (has(user, 'dauntless-lead', 'supervisor')) return allow('lead or supervisor');
  if (has(user, 'lpt-officer') && user.boroughs.includes(boroughCode)) return allow(`alert for own borough ${boroughCode}`);
  return refuse(`Alerts for borough ${boroughCode} are acknowledged by its LPT.`);
}

/** What the system knows of a person, to decide whether a route to them is legitimate. */
export type PersonReach = {
  /** Boroughs where the person has any event. */
  boroughs: readonly string[];
  /** The person was in a call in the last day (the control room is handling or just handled it). */
  inRecentCall: boolean;
  /** The incident the user came from, when they came from one, and whether this person is in it. */
  viaIncident: { incidentId: string; boroughCode: string; personInIt: boolean } | undefined;
};

/**
 * A person page: only through a legitimate route (an incident you are handling, a target or victim in your
 * borough), or, for leads and supervisors, with a purpose stated and audited. Auditors and administrators never.
 */
export function mayReadPerson(user: WebUser, reach: PersonReach, statedPurpose: string | undefined): Permission {
  if (has(user, 'call-handler', 'dispatcher') && reach.viaIncident?.personInIt) return allow(`in incident ${reach.viaIncident.incidentId} being handled`);
  if (has(user, 'call-handler', 'dispatcher') && reach.inRecentCall) return allow('in a call handled in the last day');
  if (has(user, 'lpt-officer')) {
    const own = reach.boroughs.filter((b) => user.boroughs.includes(b));
    if (own.length > 0) return allow(`person with incidents in own borough ${own.join(', ')}`);
  }
  if (has(user, 'dauntless-lead') && reach.boroughs.length > 0) return allow('Operation Dauntless lead: person with domestic-abuse history');
  if (has(user, 'dauntless-lead', 'supervisor')) {
    const purpose = statedPurpose?.trim();
    if (purpose && purpose.length >= 10) return allow(`stated purpose: ${purpose.slice(0, 300)}`);
    return refuse('No legitimate route to this person: state the purpose (at least 10 characters); it is recorded.', 'PURPOSE_REQUIRED');
  }
  if (has(user, 'lpt-officer', 'call-handler', 'dispatcher')) return refuse('This person is not in a call you are handling nor in your borough.');
  return refuse('Your role sees no personal data.');
}

/** Undo a merge, correct a record, erase a person: supervisors, with a reason. */
export function mayAlterRecords(user: WebUser): Permission {
  return has(user, 'supervisor') ? allow('supervisor') : refuse('Only a supervisor may undo a merge or correct a record.');
}

/** Produce a call for a CAD without a Kafka client: call handlers and CAD systems. */
export function mayReportIncident(user: WebUser): Permission {
  return has(user, 'call-handler') ? allow('call taken') : refuse('Only call handling may report an incident.');
}

export function mayReadAudit(user: WebUser): Permission {
  return has(user, 'auditor') ? allow('audit') : refuse('The audit log is for auditors.');
}

export function mayReadConsistency(user: WebUser): Permission {
  // Figures per borough and month: no person in them, so administrators too (they run the review's reports).
  return has(user, 'dauntless-lead', 'supervisor', 'administrator', 'lpt-officer') ? allow('borough consistency review') : refuse('The consistency review is for leads, supervisors, LPTs and administrators.');
}

/** The pages a user's roles open, for the navigation. */
export function homeLinks(user: WebUser): { href: string; label: string }[] {
  const links: { href: string; label: string }[] = [];
  if (mayWatchFeed(user).allowed) links.push({ href: '/control-room', label: 'Control room' });
  for (const code of user.roles.has('lpt-officer') ? user.boroughs : []) links.push({ href: `/boroughs/${code}`, label: boroughByCode(code)?.name ?? code });
  if (mayReadAllBoroughs(user).allowed) links.push({ href: '/dauntless', label: 'All boroughs' });
  if (mayReadConsistency(user).allowed) links.push({ href: '/consistency', label: 'Consistency' });
  if (mayReadAudit(user).allowed) links.push({ href: '/audit', label: 'Audit log' });
  return links;
}

/** The retention review on demand, or its dry run: administrators, who see counts and no person. */
export function mayReviewRetention(user: WebUser): Permission {
  return has(user, 'administrator') ? allow('retention review') : refuse('The retention review is run by administrators.');
}

// The operator CLI's own questions (services/cli): the same roles, for what only the CLI does.

/** A perpetrator's score history (`dauntless target`): leads and supervisors, or the LPT of a borough they are scored in. */
export function mayReadTarget(user: WebUser, scoredIn: readonly string[]): Permission {
  if (has(user, 'dauntless-lead')) return allow('Operation Dauntless lead');
  if (has(user, 'supervisor')) return allow('supervisor');
  const own = has(user, 'lpt-officer') ? scoredIn.filter((b) => user.boroughs.includes(b)) : [];
  if (own.length > 0) return allow(`target in own borough ${own.join(', ')}`);
  return refuse(has(user, 'lpt-officer') ? 'This target is not scored in your borough.' : 'Targets are for Operation Dauntless leads, supervisors and the LPT of their borough.');
}

/**
 * What a topic shows, for `dauntless tail`: pre-arrival intelligence (the control room's feed); top fives and
 * alerts (every borough's targets); dead letters (codes, reasons and positions only: the originals are never
 * printed); anything else, calls and justice events above all, decoded with names, phones and addresses.
 */
export type TopicContent = 'intelligence' | 'boards' | 'dead-letters' | 'personal';

/**
 * Watching a topic: the intelligence feed as on the web; the boards as every borough at once; dead letters,
 * which show no one, for administrators and supervisors who keep the pipeline running; raw personal data
 * only for a supervisor with a stated purpose (the pages show it to no one whole).
 */
export function mayTailTopic(user: WebUser, content: TopicContent, statedPurpose: string | undefined): Permission {
  if (content === 'intelligence') return mayWatchFeed(user);
  if (content === 'boards') return mayReadAllBoroughs(user);
  if (content === 'dead-letters') return has(user, 'administrator', 'supervisor') ? allow('keeping the pipeline running (no personal data shown)') : refuse('Dead letters are watched by administrators and supervisors.');
  if (!has(user, 'supervisor')) return refuse('Calls and other raw records are shown whole to supervisors only, with a stated purpose.');
  const purpose = statedPurpose?.trim();
  if (purpose && purpose.length >= 10) return allow(`stated purpose: ${purpose.slice(0, 300)}`);
  return refuse('Raw records show people whole: state the purpose (at least 10 characters); it is recorded.', 'PURPOSE_REQUIRED');
}

/** Sending dead letters back to their inputs (`dauntless dlq replay`): it prints no personal data, and the resolver takes the calls in again. */
export function mayReplayDeadLetters(user: WebUser): Permission {
  return has(user, 'administrator', 'supervisor') ? allow('dead letters replayed to their inputs') : refuse('Dead letters are replayed by administrators and supervisors.');
}

/** The refuge register (`dauntless refuge`): filing, removing and even checking an address can place a victim, so supervisors only. */
export function mayUseRefugeRegister(user: WebUser): Permission {
  return has(user, 'supervisor') ? allow('supervisor: refuge register') : refuse('The refuge register is kept by supervisors.');
}

/**
 * A backfill (`dauntless resolve`): it takes a file of people's records into an identity graph and prints
 * only ids, so supervisors and the administrators who run loads; each record taken in is recorded.
 */
export function mayCollectRecords(user: WebUser): Permission {
  return has(user, 'administrator', 'supervisor') ? allow('backfill of records into the graph') : refuse('A backfill of records is run by administrators and supervisors.');
}
