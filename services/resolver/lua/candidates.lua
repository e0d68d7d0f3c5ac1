-- Candidates for one record: the current entities filed under any of its
-- blocking keys, with their members' features, plus term counts and the
-- versions of the keys (the optimistic-concurrency token for apply.lua).
-- ARGV: ns, maxPerKey, maxMembers, blockKeys (JSON array), terms (JSON array)
local ns = ARGV[1]
local maxPerKey = tonumber(ARGV[2])
local maxMembers = tonumber(ARGV[3])
local blocks = cjson.decode(ARGV[4])
local terms = cjson.decode(ARGV[5])

local versions = {}
local order, seen = {}, {}
for i, b in ipairs(blocks) do
  versions[i] = tonumber(redis.call('HGET', key(ns, 'blkver'), b) or '0')
  for _, id in ipairs(redis.call('ZREVRANGE', key(ns, 'blk', b), 0, maxPerKey - 1)) do
    local cur = current(ns, id)
    if not seen[cur] then seen[cur] = true; order[#order + 1] = cur end
  end
end

local entities = {}
for _, id in ipairs(order) do
  local members = {}
  for _, r in ipairs(redis.call('ZREVRANGE', key(ns, 'ent', id, 'members'), 0, maxMembers - 1)) do
    local f = redis.call('HGET', key(ns, 'rec', r), 'features')
    if f then members[#members + 1] = f end
  end
  entities[#entities + 1] = { id, members, redis.call('SMEMBERS', key(ns, 'ent', id, 'notwith')), redis.call('ZCARD', key(ns, 'ent', id, 'members')) }
end

local counts = {}
if #terms > 0 then
  local raw = redis.call('HMGET', key(ns, 'tf'), unpack(terms))
  for i = 1, #terms do counts[i] = tonumber(raw[i] or '0') or 0 end
end
return json({ v = versions, e = entities, c = counts, t = tonumber(redis.call('HGET', key(ns, 'meta'), 'records') or '0') })
