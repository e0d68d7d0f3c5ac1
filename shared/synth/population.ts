// A synthetic London population for entity-resolution evaluation and for the
// incident simulator: people in households (the hard negatives: partners who
// share a surname and an address, parents and children, twins, a son named
// after his father, flat-mates), with phone numbers only from Ofcom's ranges
// reserved for drama, emails only at example.org/.com/.net, real postcode
// districts with invented units, streets and house numbers. Deterministic:
// the same options give the same population, person for person. Pure: no I/O,
// no clock (the population is "as of" opts.asOf).
//
// Every person is the truth the typings (typed-as.ts) are measured against.

import communityData from './data/communities.json' with { type: 'json' };
import givenNameData from './data/given-names.json' with { type: 'json' };
import surnameData from './data/surnames.json' with { type: 'json' };
import boroughData from './data/boroughs.json' with { type: 'json' };
import { createRng, weightedTable, type Rng } from './random.ts';

export type Gender = 'female' | 'male';

export type SynthAddress = {
  /** Flat number or letter inside the building ("2", "B"); absent for a house. */
  flat?: string;
  houseNumber: string;
  /** Street with its type written out: "Gascoigne Fold Road". */
  street: string;
  town: 'London';
  borough: string;
  /** ONS code of the borough, E09000002..E09000033. */
  boroughCode: string;
  /** "IG11 7QS": a real district, an invented sector and unit. */
  postcode: string;
};

export type PhoneKind = 'mobile' | 'landline';

export type SynthPhone = {
  /** National format with the usual spacing: "07700 900123", "020 7946 0123", "0113 496 0123". */
  number: string;
  kind: PhoneKind;
  /** ISO date the person started using it; absent when held since before the population's history. */
  from?: string;
  /** ISO date the person stopped using it (changed number); absent while in use. */
  until?: string;
};

export type HouseholdKind = 'single' | 'couple' | 'couple_with_children' | 'single_parent' | 'parent_with_adult_children' | 'sharers';
export type Relation = 'head' | 'partner' | 'child' | 'sharer';

export type SynthPerson = {
  /** The truth: unique within the population ("S000123"). */
  id: string;
  householdId: string;
  relation: Relation;
  /** Naming community (communities.json id). */
  community: string;
  gender: Gender;
  givenName: string;
  middleNames: string[];
  /** Surname now (at opts.asOf). */
  familyName: string;
  /** Surname before a change on marriage or partnership, when it changed. */
  birthFamilyName?: string;
  /** ISO date the surname changed from birthFamilyName. */
  familyNameSince?: string;
  /** ISO date of birth. */
  dob: string;
  /** Every number the person has had, oldest first; each unique to this person. */
  phones: SynthPhone[];
  email?: string;
  address: SynthAddress;
  /** ISO date the person moved to `address`. */
  addressSince: string;
  /** Where the person lived until addressSince, when known. */
  previousAddress?: SynthAddress;
  /** Set on a person who shares name (and for a coincidence, date of birth) with another: the other's id. */
  namesakeOf?: string;
  /** Set on a twin: the other twin's id (same surname, address and date of birth). */
  twinOf?: string;
};

export type SynthHousehold = {
  id: string;
  kind: HouseholdKind;
  address: SynthAddress;
  memberIds: string[];
};

export type Population = {
  seed: string;
  /** ISO date the population describes. */
  asOf: string;
  persons: SynthPerson[];
  households: SynthHousehold[];
  /** Pairs in different households with the same given name, surname and date of birth: rare coincidences. */
  coincidences: [string, string][];
  byId: ReadonlyMap<string, SynthPerson>;
  /** Persons who wanted a number after the drama ranges ran out (then they have fewer or none). */
  phonesExhausted: number;
};

export type PopulationOptions = {
  seed: string | number;
  /** How many people, ≥ 1. */
  persons: number;
  /** Restrict to these boroughs (ONS codes or names); default all 32 Met boroughs. */
  boroughs?: readonly string[];
  /** The date the population describes (ages, phone and address histories). Default 2025-01-01. */
  asOf?: Date;
};

export type BoroughInfo = { code: string; name: string; districts: readonly string[]; weight: number };

/** The 32 Met boroughs with their ONS codes and postcode districts (the data table). */
export const BOROUGHS: readonly BoroughInfo[] = Object.freeze(
  boroughData.boroughs.map((b) => Object.freeze({ code: b.code, name: b.name, districts: Object.freeze(b.districts.slice()), weight: b.weight })),
);

export const DEFAULT_AS_OF = new Date('2025-01-01T00:00:00Z');

/** Ofcom's drama ranges used here: prefix, first and last subscriber numbers, and how to space them. */
const DRAMA_RANGES: readonly { prefix: string; from: number; to: number; width: number; kind: PhoneKind; london: boolean; format: (digits: string) => string }[] = [
  { prefix: '07700900', from: 0, to: 999, width: 3, kind: 'mobile', london: false, format: (d) => `${d.slice(0, 5)} ${d.slice(5)}` },
  { prefix: '02079460', from: 0, to: 999, width: 3, kind: 'landline', london: true, format: (d) => `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}` },
  ...['0113', '0114', '0115', '0116', '0117', '0118', '0121', '0131', '0141', '0151', '0161'].map((area) => ({
    prefix: `${area}4960`, from: 0, to: 999, width: 3, kind: 'landline' as const, london: false, format: (d: string) => `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`,
  })),
  { prefix: '01914980', from: 0, to: 999, width: 3, kind: 'landline', london: false, format: (d) => `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}` },
  { prefix: '0289649', from: 6000, to: 6999, width: 4, kind: 'landline', london: false, format: (d) => `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}` },
  { prefix: '02920180', from: 0, to: 999, width: 3, kind: 'landline', london: false, format: (d) => `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}` },
  { prefix: '01632960', from: 0, to: 999, width: 3, kind: 'landline', london: false, format: (d) => `${d.slice(0, 5)} ${d.slice(5)}` },
];

/** True when the number (any spacing; national or +44 form) lies in one of Ofcom's drama ranges used here. */
export function isDramaNumber(number: string): boolean {
  let digits = number.replace(/\D+/g, '');
  if (digits.startsWith('44')) digits = '0' + digits.slice(2);
  return DRAMA_RANGES.some((r) => {
    if (!digits.startsWith(r.prefix) || digits.length !== r.prefix.length + r.width) return false;
    const n = Number(digits.slice(r.prefix.length));
    return n >= r.from && n <= r.to;
  });
}

const HOUSEHOLD_KINDS: readonly (readonly [HouseholdKind, number])[] = [
  ['single', 32], ['couple', 22], ['couple_with_children', 20], ['single_parent', 11], ['parent_with_adult_children', 9], ['sharers', 6],
];
/** Adult ages in bands (years) with London-ish weights: younger than the country. */
const ADULT_AGE_BANDS: readonly (readonly [[number, number], number])[] = [
  [[16, 24], 13], [[25, 34], 24], [[35, 44], 21], [[45, 54], 15], [[55, 64], 12], [[65, 74], 9], [[75, 85], 6],
];
const FLAT_LETTERS = ['A', 'B', 'C', 'D'];
/** Letters Royal Mail uses in the unit part of a postcode. */
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const EMAIL_DOMAINS = ['example.org', 'example.com', 'example.net'];
const DAY_MS = 86_400_000;

type Community = { id: string; weight: number; middleNameRate: number; partnerTakesSurname: number };
type GenderedSurnames = { rate: number; names: [string, number][] };
type SurnameEntry = { common: [string, number][]; gendered?: { female?: GenderedSurnames; male?: GenderedSurnames } };

const COMMUNITIES: readonly Community[] = communityData.communities;
const GIVEN = givenNameData.communities as Record<string, { female: string[]; male: string[] }>;
const SURNAMES = surnameData.communities as unknown as Record<string, SurnameEntry>;

/** Zipf-like weights by rank, so the first names of a list are drawn most (s = 0.8). */
const byRank = (names: readonly string[]) => names.map((n, i) => [n, 1 / Math.pow(i + 1, 0.8)] as const);

const givenTables = new Map<string, (rng: Rng) => string>();
const surnameTables = new Map<string, (rng: Rng) => string>();
for (const c of COMMUNITIES) {
  const given = GIVEN[c.id];
  const surnames = SURNAMES[c.id];
  if (!given || !surnames) throw new TypeError(`synth data: community "${c.id}" needs given names and surnames`);
  givenTables.set(`${c.id}:female`, weightedTable(byRank(given.female)));
  givenTables.set(`${c.id}:male`, weightedTable(byRank(given.male)));
  surnameTables.set(c.id, weightedTable(surnames.common));
  for (const g of ['female', 'male'] as const) {
    const gendered = surnames.gendered?.[g];
    if (gendered) surnameTables.set(`${c.id}:${g}`, weightedTable(gendered.names));
  }
}

type Building = { street: StreetInfo; houseNumber: string; postcode: string; flats: Set<string>; flatted: boolean };
type StreetInfo = { name: string; district: string; sector: number; boroughCode: string; borough: string; numbers: Set<number>; units: Map<number, string> };

/** Builds a population. Throws a RangeError or TypeError on options that cannot work, saying what to change. */
export function createPopulation(opts: PopulationOptions): Population {
  const persons = opts.persons;
  if (!Number.isInteger(persons) || persons < 1) throw new RangeError(`createPopulation: persons must be a whole number ≥ 1 (got ${persons})`);
  const asOf = opts.asOf ?? DEFAULT_AS_OF;
  if (Number.isNaN(asOf.getTime())) throw new RangeError('createPopulation: asOf is not a valid date');
  const boroughs = selectBoroughs(opts.boroughs);
  const root = createRng(opts.seed);
  const rng = root.fork('population');
  const asOfMs = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  const isoDaysAgo = (days: number) => new Date(asOfMs - Math.round(days) * DAY_MS).toISOString().slice(0, 10);

  const addresses = createAddressBook(rng.fork('addresses'), boroughs, persons);
  const pickBorough = weightedTable(boroughs.map((b) => [b, b.weight] as const));
  const communityTableFor = new Map<string, (r: Rng) => Community>();
  const communityIn = (boroughCode: string): Community => {
    let table = communityTableFor.get(boroughCode);
    if (!table) {
      const boost = (boroughData.boroughs.find((b) => b.code === boroughCode)?.communityBoost ?? {}) as Record<string, number>;
      table = weightedTable(COMMUNITIES.map((c) => [c, c.weight * (boost[c.id] ?? 1)] as const));
      communityTableFor.set(boroughCode, table);
    }
    return table(rng);
  };
  const anyCommunity = weightedTable(COMMUNITIES.map((c) => [c, c.weight] as const));

  const people: SynthPerson[] = [];
  const households: SynthHousehold[] = [];
  const nextPersonId = () => `S${String(people.length + 1).padStart(6, '0')}`;

  const dobForAge = (ageYears: number): string => {
    // A birthday somewhere in the year that makes the person `ageYears` old at asOf.
    const daysOld = ageYears * 365.25 + rng.int(0, 364);
    return isoDaysAgo(daysOld);
  };
  const adultAge = () => {
    const [lo, hi] = rng.weighted(ADULT_AGE_BANDS);
    return rng.int(lo, hi);
  };
  const givenName = (c: Community, g: Gender) => givenTables.get(`${c.id}:${g}`)!(rng);
  const middleNames = (c: Community, g: Gender, given: string): string[] => {
    if (!rng.chance(c.middleNameRate)) return [];
    for (let i = 0; i < 4; i++) {
      const m = givenName(c, g);
      if (m !== given) return [m];
    }
    return [];
  };
  const familySurname = (c: Community) => surnameTables.get(c.id)!(rng);
  /** The surname a person carries given their household's: Begum, Kaur or Singh for some. */
  const ownSurname = (c: Community, g: Gender, household: string): string => {
    const gendered = SURNAMES[c.id]?.gendered?.[g];
    return gendered && rng.chance(gendered.rate) ? surnameTables.get(`${c.id}:${g}`)!(rng) : household;
  };

  const makePerson = (p: Omit<SynthPerson, 'id' | 'phones' | 'middleNames'> & { middleNames?: string[] }): SynthPerson => {
    const community = COMMUNITIES.find((c) => c.id === p.community)!;
    const person: SynthPerson = { ...p, id: nextPersonId(), phones: [], middleNames: p.middleNames ?? middleNames(community, p.gender, p.givenName) };
    people.push(person);
    return person;
  };

  while (people.length < persons) {
    const borough = pickBorough(rng);
    const community = communityIn(borough.code);
    const kind = rng.weighted(HOUSEHOLD_KINDS);
    const address = addresses.newAddress(borough, rng.chance(0.4));
    const householdId = `H${String(households.length + 1).padStart(6, '0')}`;
    const movedIn = isoDaysAgo(rng.int(30, 365 * 12));
    const household: SynthHousehold = { id: householdId, kind, address, memberIds: [] };
    households.push(household);
    const surname = familySurname(community);
    const base = { householdId, address, addressSince: movedIn };
    const add = (p: SynthPerson) => household.memberIds.push(p.id);
    const room = () => people.length < persons;

    if (kind === 'sharers') {
      const n = rng.int(2, 4);
      for (let i = 0; i < n && room(); i++) {
        const c = i === 0 ? community : anyCommunity(rng);
        const g: Gender = rng.chance(0.5) ? 'female' : 'male';
        const given = givenName(c, g);
        add(makePerson({ ...base, addressSince: isoDaysAgo(rng.int(30, 365 * 4)), relation: i === 0 ? 'head' : 'sharer', community: c.id, gender: g, givenName: given, familyName: ownSurname(c, g, familySurname(c)), dob: dobForAge(rng.int(19, 42)) }));
      }
      continue;
    }

    const hasPartner = kind === 'couple' || kind === 'couple_with_children' || (kind === 'parent_with_adult_children' && rng.chance(0.6));
    const hasChildren = kind === 'couple_with_children' || kind === 'single_parent' || kind === 'parent_with_adult_children';
    const adultChildren = kind === 'parent_with_adult_children';
    const sameSex = hasPartner && rng.chance(0.05);
    // The head carries the household surname: the man in a mixed-sex couple, as is still most common.
    const headGender: Gender = kind === 'single_parent' ? (rng.chance(0.85) ? 'female' : 'male') : hasPartner && !sameSex ? 'male' : rng.chance(0.5) ? 'female' : 'male';
    const partnerGender: Gender | undefined = hasPartner ? (sameSex ? headGender : 'female') : undefined;
    let headAge = adultAge();
    if (hasChildren) headAge = adultChildren ? rng.int(42, 78) : rng.int(22, 52);
    const headGiven = givenName(community, headGender);
    const head = makePerson({ ...base, relation: 'head', community: community.id, gender: headGender, givenName: headGiven, familyName: ownSurname(community, headGender, surname), dob: dobForAge(headAge) });
    add(head);
    let father: SynthPerson | undefined = headGender === 'male' ? head : undefined;

    if (partnerGender && room()) {
      const pc = rng.chance(0.85) ? community : anyCommunity(rng);
      const pAge = Math.max(18, Math.min(85, Math.round(headAge + rng.normal(headGender === 'male' ? -2 : 2, 4))));
      const pGiven = givenName(pc, partnerGender);
      const ownBirthSurname = ownSurname(pc, partnerGender, familySurname(pc));
      // The partner who is not the surname holder may take the household surname (marriage), keeping the old one as birthFamilyName.
      const takes = rng.chance(sameSex ? 0.25 : pc.partnerTakesSurname);
      const partner = makePerson({
        ...base, relation: 'partner', community: pc.id, gender: partnerGender, givenName: pGiven, dob: dobForAge(pAge),
        familyName: takes ? ownSurname(pc, partnerGender, surname) : ownBirthSurname,
        ...(takes && ownBirthSurname !== surname ? { birthFamilyName: ownBirthSurname, familyNameSince: isoDaysAgo(rng.int(60, Math.max(61, (Math.min(pAge, headAge) - 18) * 365))) } : {}),
      });
      if (partner.familyName === partner.birthFamilyName) {
        delete partner.birthFamilyName;
        delete partner.familyNameSince;
      }
      add(partner);
      if (partnerGender === 'male') father ??= partner;
      // Head and partner usually shared the move.
      if (rng.chance(0.8)) partner.addressSince = head.addressSince;
      else partner.addressSince = isoDaysAgo(rng.int(30, 365 * 6));
    }

    if (hasChildren) {
      const n = rng.weighted([[1, 46], [2, 38], [3, 12], [4, 4]] as const);
      const youngestParent = headAge;
      const maxChildAge = adultChildren ? Math.min(40, youngestParent - 18) : Math.min(17, Math.max(0, youngestParent - 18));
      const minChildAge = adultChildren ? 16 : 0;
      let previous: SynthPerson | undefined;
      for (let i = 0; i < n && room(); i++) {
        const g: Gender = rng.chance(0.5) ? 'female' : 'male';
        const childCommunity = community;
        let given = givenName(childCommunity, g);
        let namesakeOf: string | undefined;
        // A son named after his father: same name, same address, different date of birth.
        if (g === 'male' && father && father.community === childCommunity.id && rng.chance(0.05)) {
          given = father.givenName;
          namesakeOf = father.id;
        }
        const twin = previous && rng.chance(0.02);
        const dob = twin && previous ? previous.dob : dobForAge(rng.int(minChildAge, Math.max(minChildAge, maxChildAge)));
        if (twin && previous && given === previous.givenName) given = givenName(childCommunity, g === 'male' ? 'female' : 'male');
        const child = makePerson({
          ...base, relation: 'child', community: childCommunity.id, gender: g, givenName: given, dob,
          familyName: ownSurname(childCommunity, g, surname),
          ...(namesakeOf ? { namesakeOf } : {}),
          ...(twin && previous ? { twinOf: previous.id } : {}),
        });
        if (child.dob > head.addressSince) child.addressSince = child.dob;
        if (twin && previous) previous.twinOf = child.id;
        add(child);
        previous = child;
      }
    }
  }

  addHistories(people, rng.fork('histories'), addresses, pickBorough, isoDaysAgo);
  const coincidences = addCoincidences(people, rng.fork('coincidences'));
  const phonesExhausted = assignPhones(people, households, rng.fork('phones'), isoDaysAgo);
  assignEmails(people, rng.fork('emails'), isoDaysAgo(0));

  return {
    seed: String(opts.seed),
    asOf: new Date(asOfMs).toISOString().slice(0, 10),
    persons: people,
    households,
    coincidences,
    byId: new Map(people.map((p) => [p.id, p])),
    phonesExhausted,
  };
}

function selectBoroughs(wanted: readonly string[] | undefined): BoroughInfo[] {
  if (!wanted || wanted.length === 0) return BOROUGHS.slice();
  const out: BoroughInfo[] = [];
  for (const w of wanted) {
    const key = w.trim().toLowerCase();
    const b = BOROUGHS.find((x) => x.code.toLowerCase() === key || x.name.toLowerCase() === key);
    if (!b) throw new RangeError(`createPopulation: unknown borough "${w}"; give an ONS code E09000002..E09000033 or a name such as "Tower Hamlets" (the City of London is not Met)`);
    if (!out.includes(b)) out.push(b);
  }
  return out;
}

type AddressBook = { newAddress(borough: BoroughInfo, flat: boolean): SynthAddress };

/**
 * Streets (from the data, plus invented ones when a large population needs
 * them), buildings along them and postcodes: one invented unit per stretch of
 * about sixteen house numbers, so neighbours share a postcode as they do.
 * Every address handed out is a different dwelling.
 */
function createAddressBook(rng: Rng, boroughs: readonly BoroughInfo[], persons: number): AddressBook {
  const streets = new Map<string, StreetInfo[]>();
  const flatBuildings = new Map<string, Building[]>();
  const takenDwellings = new Set<string>();
  const usedPostcodes = new Set<string>();
  const totalWeight = boroughs.reduce((s, b) => s + b.weight, 0);
  const pickType = weightedTable(boroughData.streetTypes as [string, number][]);

  for (const b of boroughs) {
    const data = boroughData.boroughs.find((x) => x.code === b.code)!;
    const expectedHouseholds = ((persons / 2.2) * b.weight) / totalWeight;
    const wanted = Math.max(data.streets.length, Math.ceil(expectedHouseholds / 40));
    const names = data.streets.slice();
    const stems = rng.shuffle(boroughData.streetStems);
    for (let i = 0; names.length < wanted; i++) {
      const stem = stems[i % stems.length]!;
      const name = `${stem}${i >= stems.length ? ` ${['Park', 'Green', 'Vale', 'Hill', 'Field'][Math.floor(i / stems.length) % 5]}` : ''} ${pickType(rng)}`;
      if (!names.includes(name)) names.push(name);
    }
    streets.set(b.code, names.map((name) => ({ name, district: rng.pick(b.districts), sector: rng.int(1, 9), boroughCode: b.code, borough: b.name, numbers: new Set<number>(), units: new Map() })));
    flatBuildings.set(b.code, []);
  }

  const postcodeFor = (street: StreetInfo, houseNumber: number): string => {
    const block = Math.floor(houseNumber / 16);
    let pc = street.units.get(block);
    while (!pc) {
      const unit = UNIT_LETTERS[rng.int(0, UNIT_LETTERS.length - 1)]! + UNIT_LETTERS[rng.int(0, UNIT_LETTERS.length - 1)]!;
      const candidate = `${street.district} ${street.sector}${unit}`;
      if (!usedPostcodes.has(candidate)) {
        usedPostcodes.add(candidate);
        pc = candidate;
        street.units.set(block, pc);
      }
    }
    return pc;
  };

  const newBuilding = (borough: BoroughInfo, flatted: boolean): Building => {
    const list = streets.get(borough.code)!;
    for (;;) {
      const street = rng.pick(list);
      const limit = Math.max(40, street.numbers.size * 2 + 20);
      const n = rng.int(1, Math.min(320, limit));
      if (street.numbers.has(n)) {
        if (street.numbers.size >= 300) list.push({ ...street, name: `${street.name.split(' ').slice(0, -1).join(' ')} ${pickType(rng)}`, numbers: new Set(), units: new Map() });
        continue;
      }
      street.numbers.add(n);
      return { street, houseNumber: String(n), postcode: postcodeFor(street, n), flats: new Set(), flatted };
    }
  };

  const newAddress = (borough: BoroughInfo, flat: boolean): SynthAddress => {
    let building: Building;
    const existing = flatBuildings.get(borough.code)!;
    if (flat && existing.length > 0 && rng.chance(0.5)) building = rng.pick(existing);
    else {
      building = newBuilding(borough, flat);
      if (flat) existing.push(building);
    }
    let flatId: string | undefined;
    if (building.flatted) {
      const letters = Number(building.houseNumber) % 5 === 0;
      for (let i = 0; flatId === undefined; i++) {
        const candidate = letters && i < 8 ? rng.pick(FLAT_LETTERS) : String(rng.int(1, 12 + i));
        if (!building.flats.has(candidate)) flatId = candidate;
      }
      building.flats.add(flatId);
    }
    const address: SynthAddress = {
      ...(flatId ? { flat: flatId } : {}),
      houseNumber: building.houseNumber,
      street: building.street.name,
      town: 'London',
      borough: building.street.borough,
      boroughCode: building.street.boroughCode,
      postcode: building.postcode,
    };
    const key = `${address.postcode}|${address.houseNumber}|${address.flat ?? ''}|${address.street}`;
    if (takenDwellings.has(key)) return newAddress(borough, flat);
    takenDwellings.add(key);
    return address;
  };
  return { newAddress };
}

/** Previous addresses: some adults moved in within the last few years; partners and children usually moved with them. */
function addHistories(people: SynthPerson[], rng: Rng, addresses: AddressBook, pickBorough: (r: Rng) => BoroughInfo, isoDaysAgo: (d: number) => string): void {
  const byHousehold = new Map<string, SynthPerson[]>();
  for (const p of people) (byHousehold.get(p.householdId) ?? byHousehold.set(p.householdId, []).get(p.householdId)!).push(p);
  for (const members of byHousehold.values()) {
    const head = members[0]!;
    if (!rng.chance(0.25)) continue;
    const borough = rng.chance(0.55) ? BOROUGHS.find((b) => b.code === head.address.boroughCode)! : pickBorough(rng);
    const previous = addresses.newAddress(borough, rng.chance(0.45));
    const since = isoDaysAgo(rng.int(30, 365 * 4));
    for (const m of members) {
      const movedWithHead = m === head || ((m.relation === 'partner' || m.relation === 'child') && rng.chance(0.85));
      if (!movedWithHead || m.dob >= since) continue;
      m.previousAddress = previous;
      m.addressSince = since;
    }
  }
}

/** A few pairs across London with the same name and date of birth (different people): rare, as in life. */
function addCoincidences(people: SynthPerson[], rng: Rng): [string, string][] {
  const pairs: [string, string][] = [];
  const wanted = Math.max(people.length >= 200 ? 1 : 0, Math.round(people.length / 2500));
  const singles = people.filter((p) => p.relation === 'head' && !p.birthFamilyName && !p.namesakeOf && !p.twinOf);
  for (let tries = 0; pairs.length < wanted && tries < wanted * 50 && singles.length > 2; tries++) {
    const a = rng.pick(singles);
    const b = rng.pick(singles);
    if (a === b || a.gender !== b.gender || a.community !== b.community || a.address.boroughCode === b.address.boroughCode) continue;
    if (pairs.some(([x, y]) => [x, y].includes(a.id) || [x, y].includes(b.id))) continue;
    b.givenName = a.givenName;
    b.familyName = a.familyName;
    b.dob = a.dob;
    b.namesakeOf = a.id;
    pairs.push([a.id, b.id]);
  }
  return pairs;
}

/**
 * Numbers from the drama ranges, each given to one person only (old numbers
 * too). Mobiles run out first (the drama mobile range holds 1,000 numbers):
 * later people then get a landline instead, and when every range is used,
 * nothing. Returns how many people went without a number they wanted.
 */
function assignPhones(people: SynthPerson[], households: SynthHousehold[], rng: Rng, isoDaysAgo: (d: number) => string): number {
  const pool = (london: boolean | undefined, kind: PhoneKind) =>
    rng.shuffle(
      DRAMA_RANGES.filter((r) => r.kind === kind && (london === undefined || r.london === london)).flatMap((r) => {
        const out: string[] = [];
        for (let n = r.from; n <= r.to; n++) out.push(r.format(r.prefix + String(n).padStart(r.width, '0')));
        return out;
      }),
    );
  const mobiles = pool(undefined, 'mobile');
  const londonLines = pool(true, 'landline');
  const otherLines = pool(false, 'landline');
  let exhausted = 0;
  const take = (kind: PhoneKind): SynthPhone | undefined => {
    if (kind === 'mobile' && mobiles.length > 0) return { number: mobiles.pop()!, kind: 'mobile' };
    const number = londonLines.pop() ?? otherLines.pop();
    return number ? { number, kind: 'landline' } : undefined;
  };
  const byId = new Map(people.map((p) => [p.id, p]));
  // People in a shuffled order, so the scarce mobiles are not all given to the first boroughs generated.
  for (const person of rng.shuffle(people)) {
    const age = ageAt(person.dob, isoDaysAgo(0));
    const wantsMobile = age >= 11 && rng.chance(age < 16 ? 0.6 : age > 75 ? 0.6 : 0.88);
    if (!wantsMobile) continue;
    if (rng.chance(0.12)) {
      const old = take('mobile');
      if (old) {
        const changed = isoDaysAgo(rng.int(30, 365 * 3));
        person.phones.push({ ...old, until: changed });
        const current = take('mobile');
        if (current) person.phones.push({ ...current, from: changed });
        else exhausted++;
        continue;
      }
    }
    const phone = take('mobile');
    if (phone) person.phones.push(phone);
    else exhausted++;
  }
  // One landline for some households, in the name of its head.
  for (const h of rng.shuffle(households)) {
    if (!rng.chance(0.3)) continue;
    const head = byId.get(h.memberIds[0]!)!;
    const line = take('landline');
    if (line) head.phones.push(line);
    else exhausted++;
  }
  for (const p of people) p.phones.sort((a, b) => (a.until ? 0 : 1) - (b.until ? 0 : 1));
  return exhausted;
}

/** Emails for some people, at example.org / .com / .net only, unique per person. */
function assignEmails(people: SynthPerson[], rng: Rng, asOfIso: string): void {
  const used = new Set<string>();
  for (const p of people) {
    if (ageAt(p.dob, asOfIso) < 13 || !rng.chance(0.45)) continue;
    const g = asciiLetters(p.givenName);
    const f = asciiLetters(p.familyName);
    const yy = p.dob.slice(2, 4);
    const local = rng.weighted([
      [`${g}.${f}`, 4], [`${g}${f}${yy}`, 3], [`${g[0] ?? 'x'}.${f}`, 2], [`${g}_${f}`, 1], [`${f}${g[0] ?? ''}${rng.int(1, 99)}`, 1], [`${g}${rng.int(100, 9999)}`, 1],
    ] as const);
    let email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
    for (let i = 2; used.has(email); i++) email = `${local}${i}@${rng.pick(EMAIL_DOMAINS)}`;
    used.add(email);
    p.email = email;
  }
}

/** Whole years between an ISO date of birth and an ISO date. */
export function ageAt(dobIso: string, onIso: string): number {
  const [by, bm, bd] = dobIso.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onIso.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Lower-case a–z only, diacritics dropped ("Łukasz" → "lukasz", "O'Brien" → "obrien"). */
export function asciiLetters(text: string): string {
  return asciiFold(text).toLowerCase().replace(/[^a-z]/g, '');
}

const SPECIAL_LETTERS: Record<string, string> = { ł: 'l', Ł: 'L', ı: 'i', İ: 'I', ø: 'o', Ø: 'O', ß: 'ss', đ: 'd', Đ: 'D', æ: 'ae', Æ: 'AE' };

/** Drops diacritics the way a UK keyboard user types a name: "Ștefan" → "Stefan", "Yılmaz" → "Yilmaz". */
export function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁıİøØßđĐæÆ]/g, (c) => SPECIAL_LETTERS[c] ?? c);
}
