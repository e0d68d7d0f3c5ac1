// `dauntless refuge add|remove|check --address A [--phone P]`: the refuge
// register beside the graph (DAUNTLESS_GRAPH). A refuge's phone and address
// are withheld from every record the resolver takes in from then on (within
// DAUNTLESS_REFUGE_REFRESH_MS): they link nobody, are not stored and never
// shown. Only hashes of their canonical keys are filed, so the register does
// not list where refuges are; `check` says whether an address or phone is one.
//
// Each use, a check above all (it can place a victim), is run as a signed-in
// supervisor (mayUseRefugeRegister) and audited before Redis is asked: filing
// and removing as ALTERATION, a check as CONSULTATION. The entry names no
// address, phone or hash (a hash of an address is found again by hashing
// addresses), only the register and the action.
import { mayUseRefugeRegister } from '../../shared/access/access.ts';
import type { AuditKind } from '../../shared/audit/audit-entry.ts';
import { asSignedInPerson } from './audited-access.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { refugeHashesOf } from '../../shared/er/refuges.ts';
import { createRefugeRegisterStore } from '../../shared/graph/refuge-register.ts';
import { DEFAULT_NAMESPACE } from '../../shared/graph/redis-identity-store.ts';
import { defineCommand } from './command.ts';
import { withRedis } from './with-redis.ts';

export const command = defineCommand({
  name: 'refuge',
  summary: "file, remove or check a refuge's address and phone: withheld from matching, storage and every page",
  usage: 'dauntless refuge add|remove|check [--address TEXT] [--phone TEXT]',
  description: `A refuge's address (its building: postcode and house number or name,
whatever flat is typed) and its phones are withheld from every record the
resolver takes in: they link nobody, are not stored and are never shown.
Only SHA-256 hashes of their canonical forms are kept.

Needs \`dauntless login\` as a supervisor. Each use is written to the s62 audit
log (refuge.filed, refuge.removed: ALTERATION; refuge.checked:
CONSULTATION), naming the register, never the address or phone; a refusal
too (exit 5). \`check\` exits 0 for a refuge, 3 for none.`,
  options: {
    address: { type: 'string', description: "the refuge's address, as anyone would type it (with its postcode)" },
    phone: { type: 'string', description: "one of the refuge's phone numbers" },
  },
  positionals: { min: 1, max: 1, what: 'add, remove or check' },
  check: ({ values, positionals: [action] }) => {
    if (action !== 'add' && action !== 'remove' && action !== 'check') throw new DauntlessError('VALIDATION_FAILED', `"${action}" is not add, remove or check.`);
    if (!values.address && !values.phone) throw new DauntlessError('VALIDATION_FAILED', 'Give --address, --phone or both.');
    return { action, address: values.address as string | undefined, phone: values.phone as string | undefined };
  },
  run: async ({ action, address, phone }, io) => {
    const hashes = refugeHashesOf({ ...(address ? { address } : {}), ...(phone ? { phone } : {}) });
    if (hashes.length === 0) throw new DauntlessError('VALIDATION_FAILED', 'Nothing to file: the address needs a postcode and a house number or name, the phone must be a number.');
    const namespace = process.env.DAUNTLESS_GRAPH || DEFAULT_NAMESPACE;
    const kind: AuditKind = action === 'check' ? 'CONSULTATION' : 'ALTERATION';
    const what = { kind, action: `refuge.${action === 'add' ? 'filed' : action === 'remove' ? 'removed' : 'checked'}`, subjectIds: [], resource: `refuge register of graph ${namespace}` };
    return asSignedInPerson('refuge', async (access) => {
      const purpose = await access.require(mayUseRefugeRegister(access.user), what);
      await access.record({ ...what, purpose });
      return withRedis({ maxRetriesPerRequest: 2 }, async (redis) => {
        const store = createRefugeRegisterStore({ redis, namespace });
        if (action === 'check') {
          const found = await store.containsAny(hashes);
          io.stdout.write(found ? 'A refuge: withheld from matching and never shown.\n' : 'Not a refuge on the register.\n');
          return found ? 0 : 3;
        }
        const changed = action === 'add' ? await store.add(hashes) : await store.remove(hashes);
        io.stdout.write(`${action === 'add' ? 'Filed' : 'Removed'} ${changed} of ${hashes.length} key(s) of the register of graph ${namespace}.\n`);
        return 0;
      });
    });
  },
});
