// The Operation Dauntless harm score's configuration: one typed object that is
// the source of the defaults, their units and sources, and the validation
// (docs/CONTRIBUTING.md "Config validated once"). docs/HARM-SCORE.md explains it for Dauntless leads.
//
// Harm is measured Cambridge Crime Harm Index style (Sherman, Neyroud &
// Neyroud 2016, "The Cambridge Crime Harm Index: measuring total harm from
// crime based on sentencing guidelines", Policing 10(3):171-183): an offence
// weighs the days of imprisonment of a sentencing-guideline starting point,
// whether or not anyone was charged or convicted.
//
// Which starting point: the Sentencing Council (England and Wales) guideline's
// middle category (culpability B, harm 2) where the guideline has a grid. A
// call handler's labels rarely say enough to place an incident in a category,
// and the middle is the least biased single choice; the CCHI's own convention
// (the least serious category) would put coercive control and stalking at a
// community order: the "minor" weighting that ranking by harm (RFH) exists to
// end (docs/DOMAIN.md "Perpetrator ranking").
// A community-order starting point counts as 20 days (this project's
// convention: below the shortest custodial starting points, above a fine).
// Values marked ≈ are this project's reading of a guideline's grid: check them
// against the current guideline before any operational use.
//
// Homicide-risk uplift: a sentencing starting point measures the harm done,
// not the harm foreseen. Coercive control, stalking, non-fatal strangulation
// and threats to kill are the markers the evidence ties most closely to
// domestic homicide, and the markers DASH counts as raising risk whatever the
// count (docs/DOMAIN.md "DASH and DARA"):
//   - Glass et al. 2008 (J Emerg Med 35(3):329-335): prior non-fatal
//     strangulation, OR 7.48 (95% CI 4.53-12.35) for completed homicide and
//     6.70 for attempted homicide, against abused controls.
//   - Monckton Smith 2020 (Violence Against Women 26(11):1267-1285): the
//     eight-stage homicide timeline from 372 intimate partner killings; a
//     relationship dominated by coercive control is stage 3, and stalking,
//     escalating control and threats mark the escalation before a killing.
//   - McFarlane et al. 1999 (Homicide Studies 3(4):300-316): stalking preceded
//     most femicides and attempted femicides studied.
//   - Campbell et al. 2003 (Am J Public Health 93(7):1089-1097): threats to
//     kill, a highly controlling abuser, prior threats with a weapon and the
//     abuser's access to a gun among the femicide risk factors.
// So those four are moved up by ×2, about one step up a guideline grid
// (e.g. ABH B2 1 year → A2 1 year 6 months → A1 2 years 6 months).
//
// Pure data and a pure validator; nothing here reads the environment.
import { DauntlessError } from '../errors/dauntless-error.ts';

/** One row of the harm table. */
export type HarmWeight = Readonly<{
  /** What it is, in the users' words, with its statute. */
  label: string;
  /** Days of imprisonment: the sentencing starting point this row counts (a community order counts 20). */
  days: number;
  /** Multiplier for homicide-risk evidence (1 = none); the row weighs days × uplift. */
  homicideRiskUplift: number;
  /** Rows of one family describe one act: only the gravest of a family counts in an incident (an injury says which assault it was). */
  family?: string;
  /** Where the days (and any uplift) come from. */
  source: string;
}>;

export type HarmConfig = Readonly<{
  /** The harm table, by offence key (COMMON_ASSAULT, ABH, ...). */
  offences: Readonly<Record<string, HarmWeight>>;
  /** A call's abuse type (schemas/incident-reported.avsc AbuseType) → its offence key. An unlisted type counts as OTHER. */
  abuseTypeOffence: Readonly<Record<string, string>>;
  /** A recorded injury's severity → the assault it implies (null: implies none). */
  injuryOffence: Readonly<Record<string, string | null>>;
  /**
   * Offence words of a justice event (free text: "ABH", "s47", "Coercive control") → offence key.
   * Matched after normalising (upper case, non-alphanumerics to "_"); a table key matches itself.
   */
  offenceAliases: Readonly<Record<string, string>>;
  /** The offence key a breach of a protective order (DVPO, DAPO, non-molestation, restraining, SPO) counts as. */
  breachOffence: string;
  /** Share of each further offence in one incident, after the gravest counted in full (0..1). */
  additionalOffenceFraction: number;
  /** Aggravation multipliers applied to an incident's harm (≥ 1). */
  aggravation: Readonly<{
    /** By weapon kind (schemas WeaponKind); the largest of an incident's weapons applies. */
    weapon: Readonly<Record<string, number>>;
    /** When children were present (saw or heard it). */
    childrenPresent: number;
  }>;
  /** Recency: harm halves every this many days. */
  halfLifeDays: number;
  /** Only incidents at most this many days old count (day windowDays in, the day after out). */
  windowDays: number;
  /** "Incidents in the last 12 months", in days. */
  recentDays: number;
  /** Distinct-victims multiplier: × min(1 + step × (victims − 1), max). */
  victims: Readonly<{ step: number; maxMultiplier: number }>;
  /** MATAC serial perpetrator: at least minIncidents incidents against at least minVictims distinct victims within lookbackDays. */
  serial: Readonly<{ minIncidents: number; minVictims: number; lookbackDays: number }>;
  /** Count only calls flagged as domestic abuse (Dauntless ranks domestic-abuse perpetrators). */
  domesticAbuseOnly: boolean;
  /** Charge outcomes that add the offence's harm when no counted incident already carries it. */
  convictionOutcomes: readonly string[];
}>;

/** The four markers moved up for homicide risk (see the file's opening comment). */
export const HOMICIDE_RISK_OFFENCES: readonly string[] = Object.freeze(['COERCIVE_CONTROL', 'STALKING', 'STRANGULATION', 'THREATS_TO_KILL']);

/** ×2: about one step up a guideline grid; the evidence is in this file's opening comment. */
const HOMICIDE_RISK_UPLIFT = 2;
/** A community-order starting point, in days (this project's convention). */
const COMMUNITY_ORDER_DAYS = 20;

const W = (label: string, days: number, source: string, extra: { uplift?: number; family?: string } = {}): HarmWeight =>
  Object.freeze({ label, days, homicideRiskUplift: extra.uplift ?? 1, ...(extra.family ? { family: extra.family } : {}), source });

export const DEFAULT_OFFENCE_WEIGHTS: Readonly<Record<string, HarmWeight>> = Object.freeze({
  COMMON_ASSAULT: W('common assault or battery (s39 CJA 1988)', COMMUNITY_ORDER_DAYS, 'Assault guideline 2021: middle categories start at a community order', { family: 'ASSAULT' }),
  ABH: W('assault occasioning actual bodily harm (s47 OAPA 1861)', 365, 'Assault guideline 2021, B2 ≈ 1 year', { family: 'ASSAULT' }),
  GBH: W('inflicting grievous bodily harm (s20 OAPA 1861)', 730, 'Assault guideline 2021, B2 ≈ 2 years', { family: 'ASSAULT' }),
  GBH_WITH_INTENT: W('causing grievous bodily harm with intent (s18 OAPA 1861)', 1825, 'Assault guideline 2021, B2 ≈ 5 years', { family: 'ASSAULT' }),
  RAPE: W('rape (s1 SOA 2003)', 1825, 'Sexual offences guideline 2014, lowest category 3B: 5 years (the CCHI value)', { family: 'SEXUAL' }),
  SEXUAL_ASSAULT: W('sexual assault (s3 SOA 2003)', 365, 'Sexual offences guideline 2014, 2B ≈ 1 year', { family: 'SEXUAL' }),
  COERCIVE_CONTROL: W('controlling or coercive behaviour (s76 SCA 2015)', 182, 'Intimidatory offences guideline 2018, B2 ≈ 26 weeks; ×2 homicide risk (Monckton Smith 2020; Campbell et al. 2003)', { uplift: HOMICIDE_RISK_UPLIFT }),
  STALKING: W('stalking involving fear of violence or serious alarm or distress (s4A PHA 1997)', 365, 'Intimidatory offences guideline 2018, B2 ≈ 1 year; ×2 homicide risk (McFarlane et al. 1999; Monckton Smith 2020)', { uplift: HOMICIDE_RISK_UPLIFT }),
  HARASSMENT: W('harassment (s2 PHA 1997)', COMMUNITY_ORDER_DAYS, 'Intimidatory offences guideline 2018: middle categories start at a community order'),
  STRANGULATION: W('non-fatal strangulation or suffocation (s75A SCA 2015)', 548, 'Strangulation guideline 2025, B2 18 months (as R v Cook [2023] EWCA Crim 452); ×2 homicide risk (Glass et al. 2008: OR 7.48)', { uplift: HOMICIDE_RISK_UPLIFT }),
  THREATS_TO_KILL: W('threats to kill (s16 OAPA 1861)', 365, 'Intimidatory offences guideline 2018, B2 ≈ 1 year; ×2 homicide risk (Campbell et al. 2003; Monckton Smith 2020)', { uplift: HOMICIDE_RISK_UPLIFT }),
  CRIMINAL_DAMAGE: W('criminal damage under £5,000 (s1 CDA 1971)', 10, 'Criminal damage guideline 2019: middle categories start at a fine or low-level community order'),
  EMOTIONAL_ABUSE: W('psychological or emotional abuse (DA Act 2021 s1(3)(e))', COMMUNITY_ORDER_DAYS, 'no offence of its own: the course of conduct behind coercive control; counted as a community order'),
  ECONOMIC_ABUSE: W('economic abuse (DA Act 2021 s1(3)(d), s1(4))', COMMUNITY_ORDER_DAYS, 'no offence of its own: part of coercive control; counted as a community order'),
  HONOUR_BASED: W('so-called honour-based abuse', 365, 'no single offence; counted as ABH, and the DASH flag raises risk on its own'),
  FORCED_MARRIAGE: W('forced marriage (s121 ASBCPA 2014)', 730, 'no guideline; ≈ 2 years, well under the 7-year maximum'),
  FGM: W('female genital mutilation (s1 FGMA 2003)', 1825, 'no guideline; ≈ 5 years, well under the 14-year maximum'),
  BREACH_OF_ORDER: W('breach of a protective order (s42A FLA 1996, s5(5) PHA 1997, s39 DAA 2021)', 84, 'Breach offences guideline 2018, breach of a protective order B2 ≈ 12 weeks'),
  OTHER: W('other domestic abuse', COMMUNITY_ORDER_DAYS, 'a domestic-abuse incident with nothing more specific recorded; counted as a community order'),
});

export const DEFAULT_HARM_CONFIG: HarmConfig = deepFreeze({
  offences: DEFAULT_OFFENCE_WEIGHTS,
  abuseTypeOffence: {
    PHYSICAL: 'COMMON_ASSAULT',
    // A call-handler label cannot say rape; a charge or conviction for rape counts as RAPE.
    SEXUAL: 'SEXUAL_ASSAULT',
    COERCIVE_CONTROL: 'COERCIVE_CONTROL',
    PSYCHOLOGICAL: 'EMOTIONAL_ABUSE',
    EMOTIONAL: 'EMOTIONAL_ABUSE',
    ECONOMIC: 'ECONOMIC_ABUSE',
    STALKING: 'STALKING',
    HARASSMENT: 'HARASSMENT',
    THREATS_TO_KILL: 'THREATS_TO_KILL',
    STRANGULATION: 'STRANGULATION',
    HONOUR_BASED: 'HONOUR_BASED',
    FORCED_MARRIAGE: 'FORCED_MARRIAGE',
    FGM: 'FGM',
    // Online abuse is charged as harassment (or stalking, when the facts say so).
    TECHNOLOGY_FACILITATED: 'HARASSMENT',
    CRIMINAL_DAMAGE: 'CRIMINAL_DAMAGE',
    OTHER: 'OTHER',
  },
  // The injury names the assault: more than transient harm is ABH; really serious harm GBH; a threat to life, GBH with intent.
  injuryOffence: { NONE_VISIBLE: null, UNKNOWN: null, MINOR: 'ABH', SERIOUS: 'GBH', LIFE_THREATENING: 'GBH_WITH_INTENT' },
  offenceAliases: {
    ASSAULT: 'COMMON_ASSAULT', BATTERY: 'COMMON_ASSAULT', ASSAULT_BY_BEATING: 'COMMON_ASSAULT', S39: 'COMMON_ASSAULT',
    ACTUAL_BODILY_HARM: 'ABH', AOABH: 'ABH', S47: 'ABH',
    GRIEVOUS_BODILY_HARM: 'GBH', WOUNDING: 'GBH', S20: 'GBH',
    GBH_WITH_INTENT: 'GBH_WITH_INTENT', WOUNDING_WITH_INTENT: 'GBH_WITH_INTENT', S18: 'GBH_WITH_INTENT',
    CONTROLLING_OR_COERCIVE_BEHAVIOUR: 'COERCIVE_CONTROL', CONTROLLING_AND_COERCIVE_BEHAVIOUR: 'COERCIVE_CONTROL', CCB: 'COERCIVE_CONTROL', S76: 'COERCIVE_CONTROL',
    S4A: 'STALKING', S2A: 'STALKING',
    NON_FATAL_STRANGULATION: 'STRANGULATION', NFS: 'STRANGULATION', SUFFOCATION: 'STRANGULATION', S75A: 'STRANGULATION',
    TTK: 'THREATS_TO_KILL', S16: 'THREATS_TO_KILL',
    DAMAGE: 'CRIMINAL_DAMAGE',
    BREACH: 'BREACH_OF_ORDER', BREACH_OF_NON_MOLESTATION_ORDER: 'BREACH_OF_ORDER', BREACH_OF_RESTRAINING_ORDER: 'BREACH_OF_ORDER',
    BREACH_OF_DAPO: 'BREACH_OF_ORDER', BREACH_OF_DVPO: 'BREACH_OF_ORDER', BREACH_OF_SPO: 'BREACH_OF_ORDER',
  },
  breachOffence: 'BREACH_OF_ORDER',
  // One call is usually one course of conduct with several labels (physical, emotional, ...): the gravest counts in full,
  // each further one a quarter, so a call with strangulation and threats to kill weighs more than either alone without
  // counting overlapping labels as separate crimes.
  additionalOffenceFraction: 0.25,
  aggravation: {
    // Use of a weapon puts an assault in culpability A; A over B is about ×1.5 in the assault guideline 2021 (ABH B2 1 year,
    // A2 1 year 6 months). A firearm ×2: the abuser's access to a gun is among the strongest femicide risk factors (Campbell et al. 2003).
    weapon: { FIREARM: 2, KNIFE: 1.5, CORROSIVE: 1.5, BLUNT_OBJECT: 1.25, LIGATURE: 1.25, OTHER: 1.1 },
    // Committed in the presence of a child is an aggravating factor (Sentencing Council, Domestic abuse overarching principles 2018),
    // and children who see or hear abuse are victims in their own right (DA Act 2021 s3). An aggravating factor moves a
    // sentence within its category, less than a step: ×1.25.
    childrenPresent: 1.25,
  },
  // RFH recency: an incident six months old counts half, one at the window's edge about a quarter (0.246).
  halfLifeDays: 180,
  // docs/DOMAIN.md "Perpetrator ranking": summed over 365 days.
  windowDays: 365,
  // docs/DOMAIN.md "Repeat victim": within a rolling 12 months.
  recentDays: 365,
  // Linear, capped: a second victim adds half again (two victims ×1.5, three ×2), five or more ×3. Enough to put a
  // perpetrator harming two people above one doing the same harm to one; not so much that many low-harm victims outrank
  // one pattern of strangulation and control. The harm to each victim is already in the sum; the multiplier is for the
  // pattern: more people to protect, and the serial behaviour MATAC targets.
  victims: { step: 0.5, maxMultiplier: 3 },
  // MATAC (Northumbria's Multi-Agency Tasking and Coordination) serial perpetrator: ≥2 incidents against ≥2 victims in 3 years.
  serial: { minIncidents: 2, minVictims: 2, lookbackDays: 1095 },
  domesticAbuseOnly: true,
  // A conviction is a court's finding; a charge or arrest is what the call already said. Outcomes never take harm away:
  // the CCHI counts reported crime whether or not anyone is convicted.
  convictionOutcomes: ['CONVICTED'],
});

/** An offence word as a justice event carries it, normalised: "s.47 ABH" → "S_47_ABH", "Coercive control" → "COERCIVE_CONTROL". */
export function normaliseOffence(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * The offence key of a justice event's offence words, or undefined when the table does not know them. The whole
 * phrase first, then its longest run of words the table or an alias knows: "s.47 ABH" → ABH, "Breach of DAPO" → BREACH_OF_ORDER.
 */
export function offenceKeyOf(text: string, config: HarmConfig): string | undefined {
  const lookup = (word: string): string | undefined => {
    if (config.offences[word]) return word;
    const alias = config.offenceAliases[word];
    return alias && config.offences[alias] ? alias : undefined;
  };
  const tokens = normaliseOffence(text).split('_').filter(Boolean);
  for (let length = tokens.length; length >= 1; length--) {
    for (let start = 0; start + length <= tokens.length; start++) {
      const run = tokens.slice(start, start + length);
      const key = lookup(run.join('_')) ?? lookup(run.join(''));
      if (key) return key;
    }
  }
  return undefined;
}

/** What one row weighs: days × homicide-risk uplift. */
export function offenceHarm(key: string, config: HarmConfig): number {
  const w = config.offences[key];
  return w ? w.days * w.homicideRiskUplift : 0;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** Changes to the defaults: a harm-table row is given whole. */
export type HarmConfigOverrides = Omit<DeepPartial<HarmConfig>, 'offences'> & { offences?: Readonly<Record<string, HarmWeight>> };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Every problem with a config, each a sentence that says what to change; empty when it is good. */
export function harmConfigProblems(config: HarmConfig): string[] {
  const problems: string[] = [];
  const known = new Set(Object.keys(config.offences ?? {}));
  if (known.size === 0) problems.push('offences is empty: give the harm table at least an OTHER row.');
  for (const [key, w] of Object.entries(config.offences ?? {})) {
    if (typeof w !== 'object' || w === null) {
      problems.push(`offences.${key} is not a row: give { label, days, homicideRiskUplift, source }.`);
      continue;
    }
    if (!/^[A-Z0-9_]+$/.test(key)) problems.push(`offences.${key}: an offence key is upper case letters, digits and "_" (e.g. COERCIVE_CONTROL).`);
    if (!finite(w.days) || w.days <= 0) problems.push(`offences.${key}.days is ${String(w.days)}: give a positive number of days of imprisonment.`);
    if (!finite(w.homicideRiskUplift) || w.homicideRiskUplift < 1) problems.push(`offences.${key}.homicideRiskUplift is ${String(w.homicideRiskUplift)}: give 1 (none) or more; lower the days to weigh an offence less.`);
    if (!w.source?.trim()) problems.push(`offences.${key}.source is empty: say where the days come from.`);
  }
  if (!known.has('OTHER')) problems.push('offences has no OTHER row: an abuse type the table does not list counts as OTHER.');
  for (const [type, key] of Object.entries(config.abuseTypeOffence ?? {})) {
    if (!known.has(key)) problems.push(`abuseTypeOffence.${type} is "${key}", which is not a row of offences.`);
  }
  for (const [severity, key] of Object.entries(config.injuryOffence ?? {})) {
    if (key !== null && !known.has(key)) problems.push(`injuryOffence.${severity} is "${key}", which is not a row of offences (use null for none).`);
  }
  for (const [word, key] of Object.entries(config.offenceAliases ?? {})) {
    if (word !== normaliseOffence(word)) problems.push(`offenceAliases has "${word}": write it normalised, as "${normaliseOffence(word)}".`);
    if (!known.has(key)) problems.push(`offenceAliases.${word} is "${key}", which is not a row of offences.`);
  }
  if (!known.has(config.breachOffence)) problems.push(`breachOffence is "${config.breachOffence}", which is not a row of offences.`);
  if (!finite(config.additionalOffenceFraction) || config.additionalOffenceFraction < 0 || config.additionalOffenceFraction > 1) {
    problems.push(`additionalOffenceFraction is ${String(config.additionalOffenceFraction)}: give a share from 0 (gravest offence only) to 1 (sum them all).`);
  }
  for (const [kind, m] of Object.entries(config.aggravation?.weapon ?? {})) {
    if (!finite(m) || m < 1) problems.push(`aggravation.weapon.${kind} is ${String(m)}: an aggravation multiplies by 1 or more.`);
  }
  if (!finite(config.aggravation?.childrenPresent) || config.aggravation.childrenPresent < 1) {
    problems.push(`aggravation.childrenPresent is ${String(config.aggravation?.childrenPresent)}: an aggravation multiplies by 1 or more.`);
  }
  if (!finite(config.halfLifeDays) || config.halfLifeDays <= 0) problems.push(`halfLifeDays is ${String(config.halfLifeDays)}: give a positive number of days (default 180).`);
  if (!Number.isInteger(config.windowDays) || config.windowDays < 1) problems.push(`windowDays is ${String(config.windowDays)}: give a whole number of days, 1 or more (default 365).`);
  if (!Number.isInteger(config.recentDays) || config.recentDays < 1) problems.push(`recentDays is ${String(config.recentDays)}: give a whole number of days, 1 or more (default 365).`);
  if (!finite(config.victims?.step) || config.victims.step < 0) problems.push(`victims.step is ${String(config.victims?.step)}: give 0 (no multiplier) or more (default 0.5).`);
  if (!finite(config.victims?.maxMultiplier) || config.victims.maxMultiplier < 1) problems.push(`victims.maxMultiplier is ${String(config.victims?.maxMultiplier)}: give 1 or more (default 3).`);
  const s = config.serial;
  if (!Number.isInteger(s?.minIncidents) || s.minIncidents < 1) problems.push(`serial.minIncidents is ${String(s?.minIncidents)}: give a whole number, 1 or more (MATAC: 2).`);
  if (!Number.isInteger(s?.minVictims) || s.minVictims < 2) problems.push(`serial.minVictims is ${String(s?.minVictims)}: serial means more than one victim, so give 2 or more (MATAC: 2).`);
  if (!Number.isInteger(s?.lookbackDays) || s.lookbackDays < 1) problems.push(`serial.lookbackDays is ${String(s?.lookbackDays)}: give a whole number of days (MATAC: 1095, 3 years).`);
  if (!Array.isArray(config.convictionOutcomes)) problems.push('convictionOutcomes is not a list: give the charge outcomes that add harm, e.g. ["CONVICTED"].');
  // Coercive control, stalking, strangulation and threats to kill must not weigh as minor: they are the homicide-risk markers (above).
  const minor = offenceHarm('COMMON_ASSAULT', config);
  for (const key of HOMICIDE_RISK_OFFENCES) {
    if (known.has(key) && known.has('COMMON_ASSAULT') && offenceHarm(key, config) <= minor) {
      problems.push(`offences.${key} weighs ${offenceHarm(key, config)} days, no more than a common assault (${minor}): it is homicide-risk evidence and must weigh more (issue 6).`);
    }
  }
  return problems;
}

/** Throws CONFIG_INVALID listing every problem; returns the config, deeply frozen. */
export function validateHarmConfig(config: HarmConfig): HarmConfig {
  const problems = harmConfigProblems(config);
  if (problems.length) throw new DauntlessError('CONFIG_INVALID', `The harm score configuration is wrong:\n  - ${problems.join('\n  - ')}`);
  return deepFreeze(structuredClone(config) as HarmConfig);
}

/** The defaults with some values changed (objects merge key by key; lists and table rows replace), validated and frozen. */
export function resolveHarmConfig(overrides: HarmConfigOverrides = {}): HarmConfig {
  return validateHarmConfig(merge(DEFAULT_HARM_CONFIG, overrides) as HarmConfig);
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (Array.isArray(over) || over === null || typeof over !== 'object' || base === null || typeof base !== 'object' || Array.isArray(base)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    // A harm-table row is replaced whole: half a row (days without its source) is a mistake.
    out[k] = k in out && !isHarmWeight(out[k]) ? merge(out[k], v) : v;
  }
  return out;
}

const isHarmWeight = (v: unknown): boolean => typeof v === 'object' && v !== null && 'days' in v && 'source' in v;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
