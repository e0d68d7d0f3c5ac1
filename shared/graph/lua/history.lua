-- The events of some person entities, with each event's parties as the
-- entities they belong to now. Read through the members of the entity, so a
-- merge brings the absorbed person's history along and an unmerge takes it
-- away again, with nothing to rewrite.
-- ARGV: ns, maxEvents, entityIds...
-- Returns { entities, events }: entities = { {entityIdNow, {eventIndex, ...}}, ... }
-- in the order asked; events = { {factsJson, eventId, {partyEntityId or '', ...}}, ... },
-- each event once however many of the entities share it (a victim and a
-- suspect of one call share its history). Plain RESP arrays, no JSON
-- encoding here: the facts go out as stored.
local ns, maxEvents = ARGV[1], tonumber(ARGV[2])
local recevt = key(ns, 'recevt')
local entities, events = {}, {}
local indexOf = {}
local entityOfRecord = {}
-- An event's record ids, in party order: a JSON array (record-event.lua).
-- A graph written before they were JSON holds them joined by spaces.
local function recordsOf(stored)
  if not stored or stored == '' then return {} end
  if string.sub(stored, 1, 1) == '[' then
    local ok, ids = pcall(cjson.decode, stored)
    if ok then return ids end
  end
  local ids = {}
  for rec in string.gmatch(stored, '%S+') do ids[#ids + 1] = rec end
  return ids
end
for i = 3, #ARGV do
  local id = current(ns, ARGV[i])
  local mine, seen = {}, {}
  -- Most recent members first, so a cap keeps the latest history.
  for _, r in ipairs(redis.call('ZREVRANGE', key(ns, 'ent', id, 'members'), 0, -1)) do
    local e = redis.call('HGET', recevt, r)
    if e and not seen[e] then
      seen[e] = true
      local index = indexOf[e]
      if not index then
        local evt = redis.call('HMGET', key(ns, 'evt', e), 'facts', 'records')
        if evt[1] then
          local parties = {}
          for _, rec in ipairs(recordsOf(evt[2])) do
            local ent = entityOfRecord[rec]
            if not ent then
              ent = redis.call('HGET', key(ns, 'rec', rec), 'entity')
              ent = ent and current(ns, ent) or ''
              entityOfRecord[rec] = ent
            end
            parties[#parties + 1] = ent
          end
          events[#events + 1] = { evt[1], e, parties }
          index = #events
          indexOf[e] = index
        end
      end
      if index then
        mine[#mine + 1] = index
        if #mine >= maxEvents then break end
      end
    end
  end
  entities[#entities + 1] = { id, mine }
end
return { entities, events }
