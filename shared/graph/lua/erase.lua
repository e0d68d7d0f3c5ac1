-- Erases one person from the graph (Data Protection Act 2018 Part 3; docs/SECURITY.md,
-- "Erasure"), atomically: the entity an id stands for now, every entity
-- merged into it (not reversed), their member records and the merges they
-- took part in. Other people's events keep the incident: the erased records'
-- ids in each event's `records` and facts are replaced by a placeholder that
-- names nobody, as JSON strings, byte for byte (never decoded and re-encoded
-- by Lua, which would round the match weights and probabilities).
-- The graph's seq moves, so a store's mirror of the candidate index is
-- dropped at its next apply (graph-mirror.ts); a decision in flight that
-- links to the erased entity is refused, since the entity is gone (apply.lua).
-- ARGV: ns, entityId, placeholder (a JSON string, quotes included, e.g. "erased"),
--       unlessSince (ms, or ''): for the retention review, erase nothing if any
--       record of the person came from an event at or after this time (a call
--       since the review looked is a record within the period, and restarts the clock)
-- Returns JSON: { status = 'unknown' }, { status = 'recent', latestAt } or
-- { status = 'erased', entityId, entityIds, recordIds, eventIds, mergeIds, counts }
local ns, requested, placeholder, unlessSince = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4] or '')
local id = current(ns, requested)
local meta = key(ns, 'meta')
if redis.call('EXISTS', key(ns, 'ent', id)) == 0 and redis.call('EXISTS', key(ns, 'ent', id, 'members')) == 0 then
  return json({ status = 'unknown' })
end

-- The entities it stood for: the entity now and those merged into it (and into them), merges not reversed.
local entities, isErased, queue = {}, {}, { id }
local merges, isMerge = {}, {}
isErased[id] = true
local i = 1
while i <= #queue do
  local e = queue[i]
  entities[#entities + 1] = e
  for _, m in ipairs(redis.call('LRANGE', key(ns, 'ent', e, 'merges'), 0, -1)) do
    if not isMerge[m] then
      isMerge[m] = true
      merges[#merges + 1] = m
      local survivor, absorbed, reversed = unpack(redis.call('HMGET', key(ns, 'merge', m), 'survivor', 'absorbed', 'reversedAt'))
      if survivor == e and absorbed and not reversed and not isErased[absorbed] then
        isErased[absorbed] = true
        queue[#queue + 1] = absorbed
      end
    end
  end
  i = i + 1
end

-- The member records (a merge moved the absorbed members onto the survivor).
local records, isRecord = {}, {}
for _, e in ipairs(entities) do
  for _, r in ipairs(redis.call('ZRANGE', key(ns, 'ent', e, 'members'), 0, -1)) do
    if not isRecord[r] then
      isRecord[r] = true
      records[#records + 1] = r
    end
  end
end

local tf, recevt = key(ns, 'tf'), key(ns, 'recevt')
if unlessSince then
  for _, r in ipairs(records) do
    local evt = redis.call('HGET', recevt, r)
    local facts = evt and redis.call('HGET', key(ns, 'evt', evt), 'facts')
    if facts then
      local f = cjson.decode(facts)
      local at = tonumber(f.receivedAt or f.occurredAt)
      if at and at >= unlessSince then return json({ status = 'recent', latestAt = at }) end
    end
  end
end
local events, isEvent = {}, {}
local blockRemovals, termsDropped = 0, 0
for _, r in ipairs(records) do
  local rec = key(ns, 'rec', r)
  local blocks, terms = unpack(redis.call('HMGET', rec, 'blocks', 'terms'))
  for _, b in ipairs(cjson.decode(blocks or '[]')) do
    local blk = key(ns, 'blk', b)
    for _, e in ipairs(entities) do blockRemovals = blockRemovals + redis.call('ZREM', blk, e) end
  end
  for _, t in ipairs(cjson.decode(terms or '[]')) do
    -- A term no record has any more is taken out altogether: a term is a name or a phone.
    if redis.call('HINCRBY', tf, t, -1) <= 0 then redis.call('HDEL', tf, t) end
    termsDropped = termsDropped + 1
  end
  local evt = redis.call('HGET', recevt, r)
  if evt and not isEvent[evt] then
    isEvent[evt] = true
    events[#events + 1] = evt
  end
  redis.call('HDEL', recevt, r)
  redis.call('DEL', rec)
  redis.call('HINCRBY', meta, 'records', -1)
end

-- Each event keeps the incident, without the person: their record ids become the placeholder.
local eventsRewritten = 0
for _, evt in ipairs(events) do
  local h = key(ns, 'evt', evt)
  local facts, recs = unpack(redis.call('HMGET', h, 'facts', 'records'))
  if facts then
    local changed = false
    for _, r in ipairs(records) do
      -- As JSON.stringify wrote it: cjson would escape '/' where JSON.stringify does not.
      local quoted = string.find(r, '["\\%c]') and cjson.encode(r) or ('"' .. r .. '"')
      local c1, c2
      facts, c1 = replaceAll(facts, quoted, placeholder)
      recs, c2 = replaceAll(recs or '[]', quoted, placeholder)
      changed = changed or c1 or c2
    end
    if changed then
      redis.call('HSET', h, 'facts', facts, 'records', recs)
      eventsRewritten = eventsRewritten + 1
    end
  end
end

-- The merges they took part in: gone, and gone from the other side's list; the other side forgets the pair.
for _, m in ipairs(merges) do
  local survivor, absorbed = unpack(redis.call('HMGET', key(ns, 'merge', m), 'survivor', 'absorbed'))
  for _, other in ipairs({ survivor, absorbed }) do
    if other and not isErased[other] then redis.call('LREM', key(ns, 'ent', other, 'merges'), 0, m) end
  end
  redis.call('DEL', key(ns, 'merge', m), key(ns, 'merge', m, 'pending'))
  redis.call('LREM', key(ns, 'unmerges'), 0, m)
end
for _, e in ipairs(entities) do
  for _, other in ipairs(redis.call('SMEMBERS', key(ns, 'ent', e, 'notwith'))) do
    if not isErased[other] then redis.call('SREM', key(ns, 'ent', other, 'notwith'), e) end
  end
  redis.call('DEL', key(ns, 'ent', e), key(ns, 'ent', e, 'members'), key(ns, 'ent', e, 'notwith'), key(ns, 'ent', e, 'merges'))
end
redis.call('HINCRBY', meta, 'entities', -1)
local seq = redis.call('HINCRBY', meta, 'seq', 1)

return json({
  status = 'erased', entityId = id, entityIds = entities, recordIds = records, eventIds = events, mergeIds = merges, seq = seq,
  counts = { entities = #entities, records = #records, events = eventsRewritten, merges = #merges, blockFilings = blockRemovals, terms = termsDropped },
})
