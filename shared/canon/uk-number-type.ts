// Fast path for +44 numbers: the validity and type rules of libphonenumber's
// full ("max") metadata for the +44 countries (GB, GG, IM, JE), compiled once.
//
// Why: libphonenumber-js builds a new RegExp for every pattern it tests, so
// parse + validity + type costs ~17 µs a number (~57,000 a second at best),
// short of the 100,000 a second the resolver needs. Almost every number a
// London control room sees is +44, so those take this path (~1 µs); the rest
// go through libphonenumber as usual. uk-number-type.test.ts checks this
// path gives exactly libphonenumber's answer, so a metadata upgrade that
// changed the layout would fail the tests rather than drift.

import { Metadata, type CountryCode, type NumberType } from 'libphonenumber-js/max';

type LibType = Exclude<NumberType, undefined>;

// The parts of libphonenumber's Metadata we read. They are public methods of
// its Metadata class but missing from its type declarations.
type TypeDescription = { pattern(): string; possibleLengths(): number[] | undefined };
type NumberingPlan = {
  leadingDigits(): string | undefined;
  nationalNumberPattern(): string;
  type(name: LibType): TypeDescription | undefined;
};
type MetadataWithPlans = {
  getCountryCodesForCallingCode(callingCode: string): CountryCode[] | undefined;
  selectNumberingPlan(country: CountryCode): void;
  numberingPlan?: NumberingPlan;
};

type CompiledType = { name: LibType; pattern: RegExp; lengths: readonly number[] | undefined };
type CompiledPlan = {
  country: CountryCode;
  leadingDigits: RegExp | undefined;
  nationalNumber: RegExp;
  fixedLine: CompiledType | undefined;
  mobile: CompiledType | undefined;
  mobileSameAsFixedLine: boolean;
  others: CompiledType[];
};

// Order matters: it is the order libphonenumber tries after fixed line.
const NON_FIXED_LINE_TYPES: LibType[] = [
  'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL',
];

const whole = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

function compileType(plan: NumberingPlan, name: LibType): CompiledType | undefined {
  const description = plan.type(name);
  const pattern = description?.pattern();
  if (!description || !pattern) return undefined;
  return { name, pattern: whole(pattern), lengths: description.possibleLengths() };
}

function compilePlans(): CompiledPlan[] | undefined {
  try {
    const metadata = new Metadata() as unknown as MetadataWithPlans;
    const countries = metadata.getCountryCodesForCallingCode('44') ?? [];
    return countries.map((country) => {
      metadata.selectNumberingPlan(country);
      const plan = metadata.numberingPlan;
      if (!plan) throw new Error(`no numbering plan for ${country}`);
      const leading = plan.leadingDigits();
      const mobileDescription = plan.type('MOBILE');
      return {
        country,
        leadingDigits: leading ? new RegExp(leading) : undefined,
        nationalNumber: whole(plan.nationalNumberPattern()),
        fixedLine: compileType(plan, 'FIXED_LINE'),
        mobile: compileType(plan, 'MOBILE'),
        mobileSameAsFixedLine: !mobileDescription || mobileDescription.pattern() === '',
        others: NON_FIXED_LINE_TYPES.map((name) => compileType(plan, name)).filter((t) => t !== undefined),
      };
    });
  } catch {
    // A libphonenumber upgrade changed its internals: every number then takes
    // the slow path, still correct.
    return undefined;
  }
}

const plans = compilePlans();

/** True when the fast path is available (libphonenumber's metadata could be compiled). */
export const ukFastPathAvailable = plans !== undefined && plans.length > 0;

const matchesType = (t: CompiledType | undefined, nsn: string): boolean =>
  t !== undefined && (!t.lengths || t.lengths.includes(nsn.length)) && t.pattern.test(nsn);

function typeIn(plan: CompiledPlan, nsn: string): LibType | undefined {
  if (!plan.nationalNumber.test(nsn)) return undefined;
  if (matchesType(plan.fixedLine, nsn)) {
    if (plan.mobileSameAsFixedLine || matchesType(plan.mobile, nsn)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  for (const t of plan.others) if (matchesType(t, nsn)) return t.name;
  return undefined;
}

export type UkNumberType = { country: CountryCode | undefined; type: LibType | undefined };

/**
 * Country and type of a +44 national significant number ("7911123456"), as
 * libphonenumber's PhoneNumber.country and getType() would give them.
 * type undefined means not a valid number. Returns undefined when the fast
 * path is not available.
 */
export function ukNumberType(nsn: string): UkNumberType | undefined {
  if (!plans) return undefined;
  // libphonenumber's rule for calling codes shared by several countries: the
  // first whose leading digits match, or (when it has none) whose patterns
  // give the number a type.
  for (const plan of plans) {
    if (plan.leadingDigits) {
      if (nsn.search(plan.leadingDigits) === 0) return { country: plan.country, type: typeIn(plan, nsn) };
    } else {
      const type = typeIn(plan, nsn);
      if (type) return { country: plan.country, type };
    }
  }
  return { country: undefined, type: undefined };
}
