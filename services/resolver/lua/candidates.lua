-- Candidates for one record: the current entities filed under any of its
-- blocking keys, with what the resolver needs to decide, plus term counts
-- and the versions of the keys (the optimistic-concurrency token for
-- apply.lua). Members' features are not sent: the client keeps them cached by
-- each entity's updatedSeq and fetches the stale ones with members.lua.
-- ARGV: ns, maxPerKey, recordId, blockKeys (JSON array), terms (JSON array)
local ns = ARGV[1]
local maxPerKey = tonumber(ARGV[2])
local recordId = ARGV[3]
local blocks = cjson.decode(ARGV[4])
local terms = cjson.decode(ARGV[5])

-- A record resolved before (a replay) needs no candidates.
local known = redis.call('HGET', key(ns, 'rec', recordId), 'entity')
if known then return json({ known = current(ns, known) }) end

local versions = {}
local order, seen, resolved = {}, {}, {}
for i, b in ipairs(blocks) do
  versions[i] = tonumber(redis.call('HGET', key(ns, 'blkver'), b) or '0')
  for _, id in ipairs(redis.call('ZREVRANGE', key(ns, 'blk', b), 0, maxPerKey - 1)) do
    -- The same entities stand under many of a record's keys: follow each id's merges once.
    if not resolved[id] then
      resolved[id] = true
      local cur = current(ns, id)
      if not seen[cur] then seen[cur] = true; order[#order + 1] = cur end
    end
  end
end

local entities = {}
for _, id in ipairs(order) do
  local e = key(ns, 'ent', id)
  entities[#entities + 1] = {
    id,
    tonumber(redis.call('HGET', e, 'updatedSeq') or '0'),
    redis.call('ZCARD', e .. ':members'),
    redis.call('SMEMBERS', e .. ':notwith'),
  }
end

local counts = {}
if #terms > 0 then
  local raw = redis.call('HMGET', key(ns, 'tf'), unpack(terms))
  for i = 1, #terms do counts[i] = tonumber(raw[i] or '0') or 0 end
end
return json({ v = versions, e = entities, c = counts, t = tonumber(redis.call('HGET', key(ns, 'meta'), 'records') or '0') })
