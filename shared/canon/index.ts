// Canonicalisation of what call handlers type: phone numbers, names,
// addresses, dates of birth. Pure functions; none throws on any input.
// Each result keeps the raw input, the canonical value(s), the match keys the
// resolver blocks and compares on, and quality flags.

export { canonicalisePhone, type PhoneResult, type PhoneNumberCanon, type PhoneFlag, type PhoneType, type PhoneOptions } from './phone.ts';
export { canonicaliseName, type NameResult, type NameKeys, type NameAlias, type NameFlag, type NameInput } from './name.ts';
export { canonicaliseAddress, canonicalStreet, type AddressResult, type AddressKeys, type AddressFlag, type AddressInput } from './address.ts';
export { canonicaliseDob, type DobResult, type DobKeys, type DobFlag, type DobPrecision, type DobOptions } from './dob.ts';
export { parsePostcode, findPostcode, type Postcode } from './postcode.ts';
export { phoneticKeys } from './phonetic.ts';
export { nicknameGroupMembers, nicknameGroups } from './nicknames.ts';
export { MAX_INPUT_CHARS } from './text.ts';
