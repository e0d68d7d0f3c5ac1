-- Shared helpers, prepended to each identity-graph script.
-- All keys of one graph share the hash tag in `ns` ("dauntless:{g}"), so a
-- script touching any of them stays in one Redis Cluster slot.
-- Up to three parts after the namespace, joined without building a table:
-- apply.lua calls this some sixty times a record.
local function key(ns, a, b, c)
  if c then return ns .. ':' .. a .. ':' .. b .. ':' .. c end
  if b then return ns .. ':' .. a .. ':' .. b end
  return ns .. ':' .. a
end

-- The entity an id stands for now: a merged-away id points to its survivor.
local function current(ns, id)
  for _ = 1, 64 do
    local nxt = redis.call('HGET', key(ns, 'ent', id), 'mergedInto')
    if not nxt then return id end
    id = nxt
  end
  return id
end

-- cjson encodes an empty table as {}; callers decode arrays with that in mind.
local function json(value) return cjson.encode(value) end
