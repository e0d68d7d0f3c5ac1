// PreArrivalIntelligence (schemas/pre-arrival-intelligence.avsc, topic
// dispatch.intel.v1, key incident id) as TypeScript sees it: the value the
// resolver encodes, and exactly what createAvroCodec decodes. The codec
// registers no logical types, so timestamp-millis fields are plain numbers
// (ms since the epoch, UTC), never Dates; ["null", X] unions are X | null;
// enums are their symbol strings. test/integration/tail-cli.test.ts checks
// this with a round trip through the registry.

/** How a party was resolved to a person entity. */
export type MatchOutcomeSymbol = 'NEW_PERSON' | 'MATCHED' | 'POSSIBLE_MATCH';

export type MatchEvidence = {
  field: string;
  level: string;
  /** log2 Bayes factor contributed by this comparison. */
  weight: number;
};

export type PreviousIncident = {
  incidentId: string;
  /** ms since the epoch. */
  occurredAt: number;
  boroughCode: string;
  roles: string[];
  abuseTypes: string[];
  riskLevel: string | null;
  otherPartyEntityIds: string[];
};

export type ActiveOrder = {
  orderType: string;
  /** ms since the epoch; null when open-ended. */
  expiresAt: number | null;
  conditions: string[];
};

export type ActiveBailCondition = {
  kind: string;
  description: string;
  /** ms since the epoch; null when not known. */
  expiresAt: number | null;
};

export type PersonIntelligence = {
  partyId: string;
  /** VICTIM, SUSPECT, CALLER, ... */
  roles: string[];
  /** The resolved person entity. */
  entityId: string;
  match: MatchOutcomeSymbol;
  matchProbability: number | null;
  matchEvidence: MatchEvidence[];
  /** Most recent first; capped, with the totals below counting all. */
  previousIncidents: PreviousIncident[];
  incidentsLast12Months: number;
  incidentsAllTime: number;
  highestRiskLevel: string | null;
  latestRiskLevel: string | null;
  maracLast12Months: boolean;
  repeatMarac: boolean;
  /** Suspect seen with two or more distinct victims. */
  serialPerpetrator: boolean;
  otherVictimEntityIds: string[];
  weaponsMentionedBefore: string[];
  activeOrders: ActiveOrder[];
  bailConditions: ActiveBailCondition[];
  childrenAtAddress: boolean;
  /** This pair has been seen before with roles reversed. */
  counterAllegation: boolean;
};

/** A part of the picture intelligence was built without. */
export type IncompletePicture = {
  /** JUSTICE_BEHIND: justice-event partitions not caught up, so orders, bail, MARAC referrals and DASH grades may be missing. */
  reason: string;
  /** The partitions behind. */
  partitions: number[];
  /** Messages not yet read on those partitions, where known; null when none is known yet (just assigned). */
  messagesBehind: number | null;
};

export type PreArrivalIntelligence = {
  incidentId: string;
  /** The IncidentReported event this intelligence answers. */
  sourceEventId: string;
  /** ONS borough code. */
  boroughCode: string;
  /** When call handling received the incident, ms since the epoch. */
  receivedAt: number;
  /** When this intelligence was produced, ms since the epoch. */
  generatedAt: number;
  /** One plain-English line for the dispatcher. */
  summary: string;
  /** False when no party has any previous record. */
  hasHistory: boolean;
  /** Officer-safety markers (build-intelligence.ts), e.g. FIREARM_MENTIONED_BEFORE, ACTIVE_ORDER, BAIL_CONDITIONS, ORDER_OR_BAIL_BREACH. */
  warningMarkers: string[];
  persons: PersonIntelligence[];
  /** Parts of the picture this was built without; empty when built with all of it. */
  incomplete: IncompletePicture[];
};
