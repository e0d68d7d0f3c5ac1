-- Puts newly computed harm scores on the boards, once per cause:
--   - each perpetrator's standing in every borough their score names (sorted set
--     ns:board:<b>, key scoreAtEpoch; tie-break facts in ns:tie:<b>), and off the
--     boards of boroughs it no longer names;
--   - when their standing next changes with time alone (ns:due, score nextChangeAt);
--   - their score history (ns:traj:<id>), a point whenever the ranking key moved;
--   - ids merged away into another entity taken off every board.
-- A perpetrator's update is skipped when a newer read of the graph was applied
-- already (ns:perp:<id> basis: the graph's event counter when its history was
-- read): two scorers can never put a stale score over a fresh one.
-- Every borough whose board changed gets its version (ns:ver:<b>) bumped once.
-- With a cause (an event id), the call is idempotent: ns:done:<cause> records
-- the boroughs changed (and, later, the messages sent for them), and a second
-- call returns it untouched.
-- ARGV: ns, cause ('' for none: a re-score by time), doneTtlSeconds, basis, payload (JSON:
--   { updates = { { id, boroughs = { {code, key, last, incidents}, ... }, next, summary, traj, trajKey, at }, ... },
--     removed = { id, ... }, prev = JSON string }; every number a string)
-- Returns { 'duplicate', {field, value, ...} } or { 'applied', {borough, ...} }.
local ns, cause, ttl, basis = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local done = key(ns, 'done', cause)
if cause ~= '' and redis.call('EXISTS', done) == 1 then
  return { 'duplicate', redis.call('HGETALL', done) }
end
local p = cjson.decode(ARGV[5])
local changed, order = {}, {}
local function touch(b)
  if changed[b] then return end
  changed[b] = true
  order[#order + 1] = b
  redis.call('INCR', key(ns, 'ver', b))
end
local function off(id, b)
  redis.call('ZREM', key(ns, 'board', b), id)
  redis.call('HDEL', key(ns, 'tie', b), id)
  redis.call('HDEL', key(ns, 'standing', id), b)
  touch(b)
end

for _, id in ipairs(p.removed or {}) do
  local st = redis.call('HKEYS', key(ns, 'standing', id))
  for _, b in ipairs(st) do off(id, b) end
  redis.call('ZREM', key(ns, 'due'), id)
end

for _, u in ipairs(p.updates or {}) do
  local pk = key(ns, 'perp', u.id)
  local stored = tonumber(redis.call('HGET', pk, 'basis') or '-1')
  if basis >= stored then
    local sk = key(ns, 'standing', u.id)
    local old = {}
    local st = redis.call('HGETALL', sk)
    for i = 1, #st, 2 do old[st[i]] = st[i + 1] end
    local now = {}
    for _, e in ipairs(u.boroughs) do
      local b = e[1]
      local v = e[2] .. '|' .. e[3] .. '|' .. e[4]
      now[b] = true
      if old[b] ~= v then
        redis.call('ZADD', key(ns, 'board', b), e[2], u.id)
        redis.call('HSET', key(ns, 'tie', b), u.id, e[3] .. '|' .. e[4])
        redis.call('HSET', sk, b, v)
        touch(b)
      end
    end
    -- Sorted, so the versions move in the same order on every run.
    local gone = {}
    for b, _ in pairs(old) do if not now[b] then gone[#gone + 1] = b end end
    table.sort(gone)
    for _, b in ipairs(gone) do off(u.id, b) end
    if #u.boroughs > 0 and u.next ~= '' then
      redis.call('ZADD', key(ns, 'due'), u.next, u.id)
    else
      redis.call('ZREM', key(ns, 'due'), u.id)
    end
    redis.call('HSET', pk, 'basis', ARGV[4], 'summary', u.summary)
    if u.traj ~= '' and (redis.call('HGET', pk, 'trajKey') or '0') ~= u.trajKey then
      local tk = key(ns, 'traj', u.id)
      redis.call('ZADD', tk, u.at, u.traj)
      redis.call('HSET', pk, 'trajKey', u.trajKey)
      -- The last 1,000 points: years of a busy perpetrator.
      redis.call('ZREMRANGEBYRANK', tk, 0, -1001)
    end
  end
end

if cause ~= '' then
  redis.call('HSET', done, 'boroughs', table.concat(order, ' '), 'prev', p.prev or '[]')
  redis.call('EXPIRE', done, ttl)
end
return { 'applied', order }
