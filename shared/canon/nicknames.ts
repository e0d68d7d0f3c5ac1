// Given-name equivalence from a table kept as data (data/nicknames.json):
// Bob, Rob and Robert are one name for matching; so are Mohammed, Muhammad
// and Mohamed. A group's key is its first (formal) name.

import table from './data/nicknames.json' with { type: 'json' };

const groupsOf = new Map<string, string[]>();
const membersOf = new Map<string, string[]>();
for (const group of table.groups) {
  const key = group[0];
  if (!key) continue;
  membersOf.set(key, [...new Set([...(membersOf.get(key) ?? []), ...group])]);
  for (const name of group) {
    const keys = groupsOf.get(name) ?? [];
    if (!keys.includes(key)) keys.push(key);
    groupsOf.set(name, keys);
  }
}
for (const keys of groupsOf.values()) keys.sort();

/**
 * Keys of every nickname group a folded given name belongs to, sorted
 * ("bert" → ["albert", "robert", ...]); the name itself when it is in no group.
 * Two given names are equivalent when their group keys intersect.
 */
export function nicknameGroups(foldedGiven: string): string[] {
  const groups = groupsOf.get(foldedGiven);
  return groups ? groups.slice() : foldedGiven ? [foldedGiven] : [];
}

/** Every name of the nickname group with this key ("jennifer" → ["jennifer", "jen", "jenny", ...]); [] for no such group. */
export function nicknameGroupMembers(key: string): readonly string[] {
  return membersOf.get(key) ?? [];
}
