-- Takes one person record off its entity for a supervisor's correction
-- (docs/SECURITY.md, "Rectification"), atomically: out of the entity's
-- members, its term counts undone (a term no record has any more removed),
-- the entity's filing under each of its blocking keys that no other member
-- has taken out, and its old features, decision and possible matches gone.
-- The corrected record becomes the record's content. Resolving it again is a
-- second step, outside this script (correct-record.ts): until it is on an
-- entity again the record stays on the pending list, so a crash in between
-- loses nothing and a second run finishes it. Asked for a record already
-- taken off by a run that stopped, the script stores the newer correction
-- and hands the record back for resolving.
-- The record and the entity it leaves go on the retention review's recheck
-- set: the person they belong to now may have lost their latest record.
-- ARGV: ns, recordId, corrected record (JSON), now (ms), defaultEntityId
--       (entityIdFor(recordId)), alternateEntityId (a new id, for a record that
--       founds a person anew while its first entity lives on)
-- Returns JSON: { status = 'unknown' | 'unresolved' | 'detached', previous, newEntityId, remaining }
local ns, recordId, corrected, now, default, alternate = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local meta = key(ns, 'meta')
local rec = key(ns, 'rec', recordId)
local pending = key(ns, 'corrections', 'pending')
local recheck = key(ns, 'review', 'recheck')
local entity, stored, blocks, terms = unpack(redis.call('HMGET', rec, 'entity', 'record', 'blocks', 'terms'))
if not stored then return json({ status = 'unknown' }) end

if not entity then
  -- Off every entity: taken off by a correction that stopped before resolving it again, or by an unmerge (its own list).
  if not redis.call('LPOS', pending, recordId) then return json({ status = 'unresolved' }) end
  redis.call('HSET', rec, 'record', corrected, 'correctedAt', now)
  return json({ status = 'detached', previous = redis.call('HGET', rec, 'correctedFrom'), newEntityId = redis.call('HGET', rec, 'correctionEntity'), remaining = -1 })
end

local holder = current(ns, entity)
local members = key(ns, 'ent', holder, 'members')
local seq = redis.call('HINCRBY', meta, 'seq', 1)
redis.call('ZREM', members, recordId)
local remaining = redis.call('ZRANGE', members, 0, -1)

-- A key another member has keeps the entity filed under it, with the new seq, so a decision in flight on it
-- decides again; a key only this record had no longer leads to the entity (under the id it was filed as, and
-- the entity it is part of now).
local kept = {}
for _, m in ipairs(remaining) do
  for _, b in ipairs(cjson.decode(redis.call('HGET', key(ns, 'rec', m), 'blocks') or '[]')) do kept[b] = true end
end
for _, b in ipairs(cjson.decode(blocks or '[]')) do
  local blk = key(ns, 'blk', b)
  if kept[b] then
    redis.call('ZADD', blk, seq, holder)
  else
    redis.call('ZREM', blk, entity, holder)
  end
end
local tf = key(ns, 'tf')
for _, t in ipairs(cjson.decode(terms or '[]')) do
  if redis.call('HINCRBY', tf, t, -1) <= 0 then redis.call('HDEL', tf, t) end
end
redis.call('HINCRBY', meta, 'records', -1)
redis.call('HSET', key(ns, 'ent', holder), 'updatedSeq', seq)
if #remaining == 0 then redis.call('HINCRBY', meta, 'entities', -1) end

-- Should the corrected record match nobody, it founds a person: under its own id (entityIdFor) when that
-- entity is empty now, else under a new one (its first entity lives on with other records, or was merged away).
local founded = key(ns, 'ent', default)
local newEntityId = default
if redis.call('ZCARD', founded .. ':members') > 0 or redis.call('HEXISTS', founded, 'mergedInto') == 1 then newEntityId = alternate end

redis.call('HDEL', rec, 'entity', 'features', 'blocks', 'terms', 'decision', 'possible')
redis.call('HSET', rec, 'record', corrected, 'correctedAt', now, 'correctedFrom', holder, 'correctionEntity', newEntityId)
if not redis.call('LPOS', pending, recordId) then redis.call('RPUSH', pending, recordId) end
redis.call('SADD', recheck, recordId)
if #remaining > 0 then redis.call('SADD', recheck, remaining[1]) end
return json({ status = 'detached', previous = holder, newEntityId = newEntityId, remaining = #remaining })
