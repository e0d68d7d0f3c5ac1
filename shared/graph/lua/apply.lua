-- Applies one resolution decision atomically (see shared/er/identity-store.ts):
-- a replayed record changes nothing; a decision made on a stale view (a
-- blocking key filed since, or a target entity merged away) is refused so the
-- resolver decides again.
-- A refusal carries the graph's seq, for a client that keeps a copy of the graph.
-- ARGV: ns, change (JSON: recordId, decision), token ("[=]<seq>|<keys read, JSON>"),
--       newEntityId, now (ms), features (JSON), decision (JSON), possible (JSON),
--       modelVersion, record (JSON: the record as received, for re-resolution),
--       blockKeys (JSON), terms (JSON)
-- The key and term lists are decoded to be walked and stored as they came.
local ns = ARGV[1]
local change = cjson.decode(ARGV[2])
local tokenSeq, tokenKeys = string.match(ARGV[3], '^=?(%d+)|(.*)$')
local newEntityId, now = ARGV[4], ARGV[5]
local blockKeys, terms = cjson.decode(ARGV[11]), cjson.decode(ARGV[12])
local recKey = key(ns, 'rec', change.recordId)
local graphSeq = redis.call('HGET', key(ns, 'meta'), 'seq') or '0'
local function refused(status, entityId) return json({ status = status, entityId = entityId, seq = tonumber(graphSeq) }) end

local already = redis.call('HGET', recKey, 'entity')
if already then return refused('duplicate', current(ns, already)) end

-- Each filing scores its key with a new (higher) seq: a key with a score
-- above the token's seq has been filed under since candidates were read.
-- Nothing at all has changed if the graph's seq has not moved (one resolver
-- alone on the graph): then the keys need no checking one by one. A token
-- from a client's copy of the graph ("=") is a view of the graph at its seq
-- like any other, and is checked the same way: refusing it whenever the
-- graph had moved at all refused nearly every decision of a resolver with
-- several partitions in flight (each apply moves the seq under the others).
if not tokenSeq then return redis.error_reply('apply: malformed token') end
if graphSeq ~= tokenSeq then
  local since, blk = '(' .. tokenSeq, key(ns, 'blk') .. ':'
  for _, b in ipairs(cjson.decode(tokenKeys)) do
    if redis.call('ZCOUNT', blk .. b, since, '+inf') > 0 then return refused('conflict') end
  end
end

local d = change.decision
local targets = {}
if d.outcome == 'link' then targets = { d.entityId } elseif d.outcome == 'merge' then targets = d.entityIds end
for _, id in ipairs(targets) do
  local h = key(ns, 'ent', id)
  if redis.call('EXISTS', h) == 0 or redis.call('HEXISTS', h, 'mergedInto') == 1 then return refused('conflict') end
end

local seq = redis.call('HINCRBY', key(ns, 'meta'), 'seq', 1)
local entityId
local merged = {}
if d.outcome == 'new' then
  entityId = newEntityId
  redis.call('HSET', key(ns, 'ent', entityId), 'createdSeq', seq, 'createdAt', now)
  redis.call('HINCRBY', key(ns, 'meta'), 'entities', 1)
elseif d.outcome == 'link' then
  entityId = d.entityId
else
  entityId = d.entityIds[1]
  for i = 2, #d.entityIds do
    local absorbed = d.entityIds[i]
    local from = key(ns, 'ent', absorbed, 'members')
    local members = redis.call('ZRANGE', from, 0, -1, 'WITHSCORES')
    local ids = {}
    for j = 1, #members, 2 do
      redis.call('ZADD', key(ns, 'ent', entityId, 'members'), members[j + 1], members[j])
      ids[#ids + 1] = members[j]
    end
    redis.call('DEL', from)
    for _, other in ipairs(redis.call('SMEMBERS', key(ns, 'ent', absorbed, 'notwith'))) do
      redis.call('SADD', key(ns, 'ent', entityId, 'notwith'), other)
    end
    redis.call('HSET', key(ns, 'ent', absorbed), 'mergedInto', entityId, 'mergedSeq', seq, 'mergedAt', now)
    local mergeId = 'M' .. seq .. '.' .. (i - 1)
    redis.call('HSET', key(ns, 'merge', mergeId),
      'survivor', entityId, 'absorbed', absorbed, 'members', json(ids), 'seq', seq, 'at', now,
      'recordId', change.recordId, 'evidence', ARGV[7])
    redis.call('RPUSH', key(ns, 'ent', entityId, 'merges'), mergeId)
    redis.call('RPUSH', key(ns, 'ent', absorbed, 'merges'), mergeId)
    redis.call('HINCRBY', key(ns, 'meta'), 'entities', -1)
    merged[#merged + 1] = absorbed
  end
end

-- The entity's previous updatedSeq lets a client that cached it at that seq
-- add the new member to its cache instead of reading the entity again.
local previousSeq = tonumber(redis.call('HGET', key(ns, 'ent', entityId), 'updatedSeq') or '0')
redis.call('HSET', key(ns, 'ent', entityId), 'updatedSeq', seq)
redis.call('ZADD', key(ns, 'ent', entityId, 'members'), seq, change.recordId)
redis.call('HSET', recKey, 'entity', entityId, 'seq', seq, 'at', now, 'features', ARGV[6], 'decision', ARGV[7],
  'possible', ARGV[8], 'model', ARGV[9], 'record', ARGV[10], 'blocks', ARGV[11], 'terms', ARGV[12])
-- Filing under a key with this seq is also what moves the key's version (see the token check above).
local blk, tf = key(ns, 'blk') .. ':', key(ns, 'tf')
for _, b in ipairs(blockKeys) do redis.call('ZADD', blk .. b, seq, entityId) end
for _, t in ipairs(terms) do redis.call('HINCRBY', tf, t, 1) end
redis.call('HINCRBY', key(ns, 'meta'), 'records', 1)
return json({ status = 'applied', entityId = entityId, merged = merged, seq = seq, previousSeq = previousSeq })
