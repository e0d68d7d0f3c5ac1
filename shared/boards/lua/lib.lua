-- Shared helpers, prepended to each scorer script. All keys of one scorer
-- share the hash tag in `ns` ("dauntless:{g-top5}"): one perpetrator's update
-- touches the boards of several boroughs and the due set at once, atomically,
-- so they must live in one Redis Cluster slot (docs/ARCHITECTURE.md, "Scorer").
-- Up to three parts after the namespace, joined without building a table:
-- apply.lua calls this some sixty times a record.
local function key(ns, a, b, c)
  if c then return ns .. ':' .. a .. ':' .. b .. ':' .. c end
  if b then return ns .. ':' .. a .. ':' .. b end
  return ns .. ':' .. a
end

-- Scores (ranking keys near 2^114 x days) travel as strings from the client and
-- are handed to Redis as they came: a Lua number would be printed with 14
-- digits and lose bits, and the board must equal a ranking from scratch exactly.
