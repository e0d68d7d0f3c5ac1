-- Reverses one merge: the absorbed entity gets back the members it had when
-- it was merged, under its own id again; the pair is marked never to merge
-- again; the records that joined the survivor after the merge are taken out
-- (their term counts undone) and returned, for the resolver to resolve again
-- against both entities. Every other record keeps its entity.
--
-- Resolving them again is a second step, outside this script: the records
-- taken out are kept, in order, on the merge's pending list until each is on
-- an entity again, so a crash in between leaves no record lost. Asked again
-- for a merge already reversed, the script hands back those still on no
-- entity, for the second step to finish; a record on an entity again (its
-- second step done, or a replay of its event resolved it) leaves the list.
-- ARGV: ns, mergeId, now (ms)
local ns, mergeId, now = ARGV[1], ARGV[2], ARGV[3]
local m = key(ns, 'merge', mergeId)
local pending = key(ns, 'merge', mergeId, 'pending')
if redis.call('EXISTS', m) == 0 then return json({ status = 'unknown' }) end
if redis.call('HEXISTS', m, 'reversedAt') == 1 then
  local left = {}
  for _, r in ipairs(redis.call('LRANGE', pending, 0, -1)) do
    local rec = redis.call('HMGET', key(ns, 'rec', r), 'entity', 'record')
    if rec[1] then redis.call('LREM', pending, 0, r) else left[#left + 1] = { r, rec[2] } end
  end
  if #left == 0 then return json({ status = 'already_reversed' }) end
  return json({
    status = 'resuming', survivor = current(ns, redis.call('HGET', m, 'survivor')), absorbed = redis.call('HGET', m, 'absorbed'),
    restored = #cjson.decode(redis.call('HGET', m, 'members')), later = left,
  })
end
local survivor = redis.call('HGET', m, 'survivor')
local absorbed = redis.call('HGET', m, 'absorbed')
local mergeSeq = tonumber(redis.call('HGET', m, 'seq'))
local restored = cjson.decode(redis.call('HGET', m, 'members'))
-- The survivor may itself have been merged since: take the members back from where they are now.
local holder = current(ns, survivor)
local holderMembers = key(ns, 'ent', holder, 'members')
local restoredSet = {}

local seq = redis.call('HINCRBY', key(ns, 'meta'), 'seq', 1)
redis.call('HDEL', key(ns, 'ent', absorbed), 'mergedInto', 'mergedSeq', 'mergedAt')
redis.call('HSET', key(ns, 'ent', absorbed), 'updatedSeq', seq)
redis.call('HINCRBY', key(ns, 'meta'), 'entities', 1)
for _, r in ipairs(restored) do
  restoredSet[r] = true
  local score = redis.call('ZSCORE', holderMembers, r)
  redis.call('ZREM', holderMembers, r)
  redis.call('ZADD', key(ns, 'ent', absorbed, 'members'), score or mergeSeq, r)
  -- File the restored entity again under its members' keys; the new seq on
  -- each key makes any decision in flight on these keys decide again.
  for _, b in ipairs(cjson.decode(redis.call('HGET', key(ns, 'rec', r), 'blocks') or '[]')) do
    redis.call('ZADD', key(ns, 'blk', b), seq, absorbed)
  end
end
redis.call('HSET', key(ns, 'ent', holder), 'updatedSeq', seq)
redis.call('SADD', key(ns, 'ent', absorbed, 'notwith'), holder, survivor)
redis.call('SADD', key(ns, 'ent', holder, 'notwith'), absorbed)
if holder ~= survivor then redis.call('SADD', key(ns, 'ent', survivor, 'notwith'), absorbed) end

-- The record that bridged the two, and those that joined after, may be there
-- because of the merge.
local later = {}
for _, r in ipairs(redis.call('ZRANGEBYSCORE', holderMembers, mergeSeq, '+inf')) do
  if not restoredSet[r] then
    local rec = key(ns, 'rec', r)
    later[#later + 1] = { r, redis.call('HGET', rec, 'record') }
    redis.call('ZREM', holderMembers, r)
    for _, t in ipairs(cjson.decode(redis.call('HGET', rec, 'terms') or '[]')) do redis.call('HINCRBY', key(ns, 'tf'), t, -1) end
    redis.call('HINCRBY', key(ns, 'meta'), 'records', -1)
    redis.call('HSET', rec, 'reresolveAfter', mergeId)
    redis.call('HDEL', rec, 'entity')
    redis.call('RPUSH', pending, r)
  end
end
-- The people this leaves may have lost their latest record to the other: the
-- retention review looks at them again (a record of each stands for its person).
local recheck = key(ns, 'review', 'recheck')
if restored[1] then redis.call('SADD', recheck, restored[1]) end
local stays = redis.call('ZRANGE', holderMembers, 0, 0)
if stays[1] then redis.call('SADD', recheck, stays[1]) end
for _, pair in ipairs(later) do redis.call('SADD', recheck, pair[1]) end
redis.call('HSET', m, 'reversedAt', now, 'reversedSeq', seq)
redis.call('RPUSH', key(ns, 'unmerges'), mergeId)
return json({ status = 'reversed', survivor = holder, absorbed = absorbed, restored = #restored, later = later })
