-- The events of some person entities, with each event's parties as the
-- entities they belong to now. Read through the members of the entity, so a
-- merge brings the absorbed person's history along and an unmerge takes it
-- away again, with nothing to rewrite.
-- ARGV: ns, maxEvents, entityIds...
-- Returns JSON: [[entityIdNow, [[factsJson, [partyEntityId or '', ...]], ...]], ...]
local ns, maxEvents = ARGV[1], tonumber(ARGV[2])
local recevt = key(ns, 'recevt')
local out = {}
for i = 3, #ARGV do
  local id = current(ns, ARGV[i])
  local events, seen = {}, {}
  -- Most recent members first, so a cap keeps the latest history.
  for _, r in ipairs(redis.call('ZREVRANGE', key(ns, 'ent', id, 'members'), 0, -1)) do
    local e = redis.call('HGET', recevt, r)
    if e and not seen[e] then
      seen[e] = true
      local evt = redis.call('HMGET', key(ns, 'evt', e), 'facts', 'records')
      if evt[1] then
        local parties = {}
        for rec in string.gmatch(evt[2] or '', '%S+') do
          local ent = redis.call('HGET', key(ns, 'rec', rec), 'entity')
          parties[#parties + 1] = ent and current(ns, ent) or ''
        end
        events[#events + 1] = { evt[1], parties }
        if #events >= maxEvents then break end
      end
    end
  end
  out[#out + 1] = { id, events }
end
return cjson.encode(out)
