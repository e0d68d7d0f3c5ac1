#!/usr/bin/env bash
# npm run bench:resolve: throughput of `dauntless resolve` over
# historical_50k_dev (25,856 records), one record at a time in file order,
# through the Redis identity graph of the running stack (npm run stack:up).
# Uses its own graph, emptied first. The last line is the CLI's JSON summary.
# Where the time goes (store calls apart from features and scoring):
# npx tsx bench/resolve-stages.ts. Compare variants in one session, median of
# at least three runs: the machine is shared and runs vary by 2x.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${DAUNTLESS_ER_DATA:-../shared/data/er}/splink_datasets/historical_50k_dev.csv"
# The graph is removed afterwards: left behind, its half a million keys make
# every later AOF rewrite of the local Redis (a fork that takes a core) longer.
trap 'node --import tsx -e "
  const { createRedis } = await import(\"./shared/redis/create-redis.ts\");
  const { loadRedisConnection, REDIS_USER } = await import(\"./shared/redis/redis-connection.ts\");
  const { createLogger } = await import(\"./shared/logging/create-logger.ts\");
  const { createRedisIdentityStore } = await import(\"./shared/graph/redis-identity-store.ts\");
  const redis = createRedis({ connection: loadRedisConnection(process.env, REDIS_USER.admin), logger: createLogger(\"bench\", { level: \"silent\" }) });
  await createRedisIdentityStore({ redis, namespace: \"bench-resolve:{g}\" }).clear();
  redis.disconnect();
" || true' EXIT
# A backfill is a collection, run by a signed-in administrator or supervisor and audited
# (services/cli/resolve.ts). Without a token of one's own, the bench signs in as the local
# stack's seeded supervisor through the realm's test client.
if [ -z "${DAUNTLESS_ACCESS_TOKEN:-}" ]; then
  DAUNTLESS_ACCESS_TOKEN="$(node --import tsx -e 'const { accessTokenFor, seededUser } = await import("./test/helpers/sign-in.ts"); process.stdout.write(await accessTokenFor(seededUser("supervisor")));')"
  export DAUNTLESS_ACCESS_TOKEN
fi
[ -f "$data" ] || { echo "bench:resolve: $data not found (set DAUNTLESS_ER_DATA to the folder of the public ER data)" >&2; exit 2; }
node bin/dauntless.js resolve --input "$data" --id-column unique_id \
  --map first_name=given_name,surname=family_name,dob=dob,postcode_fake=postcode,gender=gender,birth_place=attr:birth_place,occupation=attr:occupation \
  --out "${TMPDIR:-/tmp}/dauntless-bench-resolve.csv" --graph 'bench-resolve:{g}' --fresh --reference-date 2026-01-01
