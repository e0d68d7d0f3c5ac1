-- Takes an erased person off the boards (docs/SECURITY.md, "Erasure"): every
-- id they had, off every borough's board and tie-breaks (each board changed
-- gets its version bumped, so the scorer's next tick publishes it again
-- without them), off the due set, their standing, score summary and score
-- history gone. A published ranking or an unsent message that names them is
-- dropped (the next tick publishes a fresh one), and in each kept record of a
-- scored event their id is replaced by a placeholder: as text, byte for byte
-- (Lua would round the ranking keys if it decoded them).
-- ARGV: ns, ids (JSON array), boroughs (JSON array: every borough with a board), doneKeys (JSON array), placeholder (a JSON string, quotes included)
-- Returns { boroughs changed... }
local ns = ARGV[1]
local ids, boroughs, doneKeys, placeholder = cjson.decode(ARGV[2]), cjson.decode(ARGV[3]), cjson.decode(ARGV[4]), ARGV[5]

local quoted = {}
for _, id in ipairs(ids) do quoted[#quoted + 1] = cjson.encode(id) end
local function names(text)
  for _, q in ipairs(quoted) do
    if string.find(text, q, 1, true) then return true end
  end
  return false
end

local changed = {}
for _, b in ipairs(boroughs) do
  local moved = false
  for _, id in ipairs(ids) do
    if redis.call('ZREM', key(ns, 'board', b), id) == 1 then moved = true end
    redis.call('HDEL', key(ns, 'tie', b), id)
  end
  local top = key(ns, 'top', b)
  local ranking, unsent = unpack(redis.call('HMGET', top, 'ranking', 'unsent'))
  if ranking and names(ranking) then
    redis.call('HDEL', top, 'ranking', 'ver', 'at')
    moved = true
  end
  if unsent and names(unsent) then redis.call('HDEL', top, 'unsent') end
  if moved then
    redis.call('INCR', key(ns, 'ver', b))
    changed[#changed + 1] = b
  end
end
for _, id in ipairs(ids) do
  redis.call('ZREM', key(ns, 'due'), id)
  redis.call('DEL', key(ns, 'standing', id), key(ns, 'perp', id), key(ns, 'traj', id))
end
for _, done in ipairs(doneKeys) do
  local fields = redis.call('HGETALL', done)
  for i = 1, #fields, 2 do
    local value, any = fields[i + 1], false
    for _, q in ipairs(quoted) do
      local c
      value, c = replaceAll(value, q, placeholder)
      any = any or c
    end
    if any then redis.call('HSET', done, fields[i], value) end
  end
end
return changed
