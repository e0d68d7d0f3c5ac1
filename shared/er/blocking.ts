// Blocking keys: the index keys a record's entity is filed under, and looked
// up by, so that a new record is scored only against entities that share
// at least one key with it. Each key is prefixed by the rule that made it
// (`fs+dob:` family-name sound and date of birth ...). Several rules, each
// tolerant of a different error, give high recall; every rule mixes two
// fields, which keeps blocks small (the store also caps how many entities
// it reads per key). Also the term-frequency counters a record increments.
// Pure.

import { sortedLetters } from './comparisons.ts';
import type { ErFeatures, NameFeature } from './features.ts';

/** Most keys one record gets: bounds store writes per record. */
const MAX_KEYS = 96;

/** The block keys of a record, deduplicated, in a stable order. */
export function blockingKeys(f: ErFeatures): string[] {
  const keys = new Set<string>();
  const add = (key: string): void => {
    if (keys.size < MAX_KEYS) keys.add(key);
  };
  const readings = f.sw ? [...f.n, f.sw] : f.n;
  const dates = dobKeys(f);
  const years = f.dob?.y !== undefined && f.dob.p !== 'age' ? [String(f.dob.y)] : [];
  const postcodes = (f.ad ?? []).map((a) => a.pc).filter((pc): pc is string => Boolean(pc));

  const monthDay = f.dob?.p === 'day' && f.dob.mo !== undefined && f.dob.d !== undefined ? `${pad(f.dob.mo)}-${pad(f.dob.d)}` : undefined;
  const sectors = (f.ad ?? []).map((a) => a.sec).filter((s): s is string => Boolean(s));
  const towns = (f.ad ?? []).map((a) => a.t).filter((t): t is string => Boolean(t));
  const described = Object.values(f.at ?? {});

  // Identifiers: one key each decides most matches on its own.
  for (const key of f.ph ?? []) add(`ph:${key}`);
  for (const email of f.em ?? []) {
    add(`em:${email}`);
    const local = email.slice(0, email.indexOf('@'));
    if (local.length >= 4) add(`eml:${local}`);
  }
  for (const [kind, value] of Object.entries(f.id ?? {})) add(`id:${kind}:${value}`);
  for (const a of f.ad ?? []) {
    if (a.u) add(`uprn:${a.u}`);
    const house = a.hn ?? a.hnm;
    if (a.pc && house) add(`pc+hn:${a.pc}|${house}`);
    if (a.st && house) add(`st+hn:${a.st}|${house}`);
  }
  // Date of birth with where they live: survives errors in every name.
  for (const dob of dates) {
    add(`dob:${dob}`);
    for (const pc of postcodes) add(`dob+pc:${dob}|${pc}`);
    for (const t of towns) add(`dob+t:${dob}|${t}`);
  }
  // Name sounds with the date: any word of the name, so a family name typed
  // wrong still meets on the given name.
  const nameSounds = new Set<string>();
  for (const r of readings) for (const code of [...r.fs.slice(0, 3), ...r.gs.slice(0, 2)]) nameSounds.add(code);
  // The letters of each name word in alphabetical order, with the date: letters typed out of order.
  for (const r of readings) {
    for (const word of [r.g, r.f]) {
      if (word.length < 3) continue;
      for (const dob of dates) add(`sl+dob:${sortedLetters(word)}|${dob}`);
    }
  }
  for (const sound of nameSounds) for (const dob of dates) add(`ns+dob:${sound}|${dob}`);
  // A mistyped year leaves only the day and month, which are weak (1 in 366):
  // they go with the family name's primary sound only. With every name sound
  // (given names' too: "J" for every John, Jane and James) these keys were
  // the broadest of all, a third of the candidates, for no recall measured
  // (models/README.md, "Blocking").
  const familySound = f.n[0]?.fs[0];
  if (monthDay && familySound) add(`ns+md:${familySound}|${monthDay}`);
  for (const r of readings) {
    const familySounds = r.fs.slice(0, 3);
    const givenSounds = r.gs.slice(0, 2);
    const initial = givenInitial(r);
    for (const fs of familySounds) {
      for (const gs of givenSounds) add(`gs+fs:${gs}|${fs}`);
      for (const pc of postcodes) add(`fs+pc:${fs}|${pc}`);
      for (const sec of sectors) add(`fs+sec:${fs}|${sec}`);
      for (const t of towns) add(`fs+t:${fs}|${t}`);
      for (const value of described) add(`fs+at:${fs}|${value}`);
      if (initial) for (const y of years) add(`fs+gi+y:${fs}|${initial}|${y}`);
    }
    for (const group of r.g.length > 1 ? r.gg.slice(0, 2) : []) {
      for (const dob of dates) add(`dob+gg:${dob}|${group}`);
      for (const pc of postcodes) add(`gg+pc:${group}|${pc}`);
    }
    if (r.f) {
      for (const y of years) add(`f+y:${r.f}|${y}`);
      if (initial) add(`f+gi:${r.f}|${initial}`);
    }
  }
  return [...keys];
}

/** Full dates the record may have been born on (as read, and the day/month swap). */
function dobKeys(f: ErFeatures): string[] {
  return f.dob?.p === 'day' ? (f.dob.c ?? []) : [];
}

const pad = (n: number): string => String(n).padStart(2, '0');

const givenInitial = (r: NameFeature): string => r.i.slice(0, 1) || r.g.slice(0, 1);

/**
 * The term-frequency counters this record increments when it is filed: its
 * own values of the fields whose exact agreement is term-frequency adjusted.
 * Only the primary reading of the name counts, so each record counts once.
 */
export function termKeys(f: ErFeatures): string[] {
  // Scoring asks this of every member of every candidate, for every record;
  // a member's features are one object as long as the store caches them.
  let cached = termKeysCache.get(f);
  if (!cached) termKeysCache.set(f, (cached = computeTermKeys(f)));
  return cached;
}

const termKeysCache = new WeakMap<object, string[]>();

function computeTermKeys(f: ErFeatures): string[] {
  const terms = new Set<string>();
  const name = f.n[0];
  if (name?.f) terms.add(`family_name:${name.f}`);
  if (name?.g) terms.add(`given_name:${name.g}`);
  const dob = f.dob?.p === 'day' ? f.dob.c?.[0] : undefined;
  if (dob) terms.add(`dob:${dob}`);
  for (const a of f.ad ?? []) {
    if (a.pc) terms.add(`postcode:${a.pc}`);
    if (a.t) terms.add(`town:${a.t}`);
  }
  for (const p of f.ph ?? []) terms.add(`phone:${p}`);
  for (const e of f.em ?? []) terms.add(`email:${e}`);
  for (const [name, value] of Object.entries(f.at ?? {})) terms.add(`attr:${name}:${value}`);
  return [...terms];
}

/**
 * The counters to read when scoring this record: every value it could share
 * exactly with a candidate (all readings of its name, all dates it may be).
 */
export function lookupTerms(f: ErFeatures): string[] {
  const terms = new Set(termKeys(f));
  for (const r of f.sw ? [...f.n, f.sw] : f.n) {
    if (r.f) terms.add(`family_name:${r.f}`);
    if (r.g) terms.add(`given_name:${r.g}`);
  }
  for (const d of f.dob?.p === 'day' ? (f.dob.c ?? []) : []) terms.add(`dob:${d}`);
  return [...terms];
}
