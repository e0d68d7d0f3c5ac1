-- The features of the most recent members of some entities, with the
-- updatedSeq they were read at (for the client's cache).
-- ARGV: ns, maxMembers, entityIds...
local ns = ARGV[1]
local maxMembers = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local e = key(ns, 'ent', id)
  local members = {}
  for _, r in ipairs(redis.call('ZREVRANGE', e .. ':members', 0, maxMembers - 1)) do
    local f = redis.call('HGET', key(ns, 'rec', r), 'features')
    if f then members[#members + 1] = f end
  end
  out[#out + 1] = { id, tonumber(redis.call('HGET', e, 'updatedSeq') or '0'), members }
end
return json(out)
