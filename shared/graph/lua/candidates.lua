-- Candidates for one record: the current entities filed under any of its
-- blocking keys, with what the resolver needs to decide, plus term counts
-- and the graph's seq now (the optimistic-concurrency token for apply.lua:
-- every filing scores its key with a newer seq, so a key whose highest score
-- is above this seq has changed since). Members' features are not sent: the
-- client keeps them cached by each entity's updatedSeq and fetches the stale
-- ones with members.lua.
-- ARGV: ns, maxPerKey, recordId, blockKeys (JSON array), terms (JSON array),
--       entities (JSON array, optional: entities asked for by id, listed after the keys')
local ns = ARGV[1]
local maxPerKey = tonumber(ARGV[2])
local recordId = ARGV[3]
local blocks = cjson.decode(ARGV[4])
local terms = cjson.decode(ARGV[5])
local asked = ARGV[6] and cjson.decode(ARGV[6]) or {}

-- A record resolved before (a replay) needs no candidates: its entity now,
-- and the decision and possible matches as kept, for the replay to report
-- again. Those two go as the strings stored: decoding and encoding them here
-- would round their weights and probabilities to cjson's 14 digits.
local rec = redis.call('HMGET', key(ns, 'rec', recordId), 'entity', 'decision', 'possible')
if rec[1] then return json({ known = current(ns, rec[1]), decision = rec[2] or '', possible = rec[3] or '' }) end

-- The entity an id stands for now (following merges) and its updatedSeq:
-- one HMGET per hop, where current() and a separate read took two.
local function survivorWithSeq(x)
  local e = redis.call('HMGET', key(ns, 'ent', x), 'mergedInto', 'updatedSeq')
  return e[1], tonumber(e[2] or '0')
end
local function currentWithSeq(id)
  local now, seq = followMerges(id, survivorWithSeq)
  if seq == nil then seq = tonumber(redis.call('HGET', key(ns, 'ent', now), 'updatedSeq') or '0') end
  return now, seq
end

local entities = {}
local seen, resolved = {}, {}
for _, b in ipairs(blocks) do
  for _, id in ipairs(redis.call('ZREVRANGE', key(ns, 'blk', b), 0, maxPerKey - 1)) do
    -- The same entities stand under many of a record's keys: follow each id's merges once.
    if not resolved[id] then
      resolved[id] = true
      local cur, updatedSeq = currentWithSeq(id)
      if not seen[cur] then
        seen[cur] = true
        local e = key(ns, 'ent', cur)
        entities[#entities + 1] = { cur, updatedSeq, redis.call('ZCARD', e .. ':members'), redis.call('SMEMBERS', e .. ':notwith') }
      end
    end
  end
end
for _, id in ipairs(asked) do
  local cur, updatedSeq = currentWithSeq(id)
  local e = key(ns, 'ent', cur)
  -- An id of no entity (erased since it was read) is left out, as the mirror leaves it.
  if not seen[cur] and redis.call('EXISTS', e) == 1 then
    seen[cur] = true
    entities[#entities + 1] = { cur, updatedSeq, redis.call('ZCARD', e .. ':members'), redis.call('SMEMBERS', e .. ':notwith') }
  end
end

-- unpack() fails past Lua's stack limit (about 8,000 values), so the terms
-- are read a thousand at a time.
local counts = {}
for from = 1, #terms, 1000 do
  local to = math.min(from + 999, #terms)
  local raw = redis.call('HMGET', key(ns, 'tf'), unpack(terms, from, to))
  for i = from, to do counts[i] = tonumber(raw[i - from + 1] or '0') or 0 end
end
local meta = redis.call('HMGET', key(ns, 'meta'), 'seq', 'records')
return json({ s = tonumber(meta[1] or '0'), e = entities, c = counts, t = tonumber(meta[2] or '0') })
