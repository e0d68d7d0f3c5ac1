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

-- The entity an id stands for now: a merged-away id points to its survivor,
-- which may have been merged since. At most 64 hops (as merge-walk.ts), so a
-- cycle written by a bug cannot hang Redis. `survivorOf(id)` returns the id's
-- survivor (nil when none) and a value read with it, which the walk returns
-- for the last id (nil when the walk gave up).
local function followMerges(id, survivorOf)
  for _ = 1, 64 do
    local nxt, read = survivorOf(id)
    if not nxt then return id, read end
    id = nxt
  end
  return id, nil
end

local function current(ns, id)
  return (followMerges(id, function(x) return redis.call('HGET', key(ns, 'ent', x), 'mergedInto') end))
end

-- cjson encodes an empty table as {}; callers decode arrays with that in mind.
local function json(value) return cjson.encode(value) end
