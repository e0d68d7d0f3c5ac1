-- The people the retention review looks at (docs/SECURITY.md "Retention"):
-- those in some events (the events past the review period) and those some
-- records stand for now (the recheck set), each with the time of the latest
-- event any of their records came from, read from the events' facts as
-- they are now. Reads only.
-- ARGV: ns, number of event ids, eventIds..., recordIds...
-- Returns JSON: { people = { {entityId, latestAt (ms, or -1: no record from an event), records}, ... },
--                 unplaced = { recordId, ... } (records on no entity now: pending a correction or an unmerge) }
local ns, nEvents = ARGV[1], tonumber(ARGV[2])
local recevt = key(ns, 'recevt')
local records, unplaced = {}, {}
for i = 3, 2 + nEvents do
  local stored = redis.call('HGET', key(ns, 'evt', ARGV[i]), 'records')
  if stored then
    -- A JSON array (record-event.lua); a graph written before that holds them joined by spaces.
    local ok, ids = pcall(cjson.decode, stored)
    if ok and type(ids) == 'table' then
      for _, r in ipairs(ids) do records[#records + 1] = r end
    else
      for r in string.gmatch(stored, '%S+') do records[#records + 1] = r end
    end
  end
end
local fromRecheck = {}
for i = 3 + nEvents, #ARGV do
  records[#records + 1] = ARGV[i]
  fromRecheck[ARGV[i]] = true
end

local timeOf = {}
local function eventTime(evt)
  local t = timeOf[evt]
  if t == nil then
    local facts = redis.call('HGET', key(ns, 'evt', evt), 'facts')
    t = -1
    if facts then
      local f = cjson.decode(facts)
      t = tonumber(f.receivedAt or f.occurredAt) or -1
    end
    timeOf[evt] = t
  end
  return t
end

local people, seen = {}, {}
for _, r in ipairs(records) do
  local entity = redis.call('HGET', key(ns, 'rec', r), 'entity')
  if not entity then
    -- An erased party ("erased") is no record; a record on no entity waits for its correction or unmerge.
    if fromRecheck[r] and redis.call('EXISTS', key(ns, 'rec', r)) == 1 then unplaced[#unplaced + 1] = r end
  else
    local id = current(ns, entity)
    if not seen[id] then
      seen[id] = true
      local latest = -1
      local members = redis.call('ZRANGE', key(ns, 'ent', id, 'members'), 0, -1)
      for _, m in ipairs(members) do
        local evt = redis.call('HGET', recevt, m)
        if evt then
          local t = eventTime(evt)
          if t > latest then latest = t end
        end
      end
      people[#people + 1] = { id, latest, #members }
    end
  end
end
return json({ people = people, unplaced = unplaced })
