-- Shared helpers, prepended to each scorer script. All keys of one scorer
-- share the hash tag in `ns` ("dauntless:{g-top5}"): one perpetrator's update
-- touches the boards of several boroughs and the due set at once, atomically,
-- so they must live in one Redis Cluster slot (docs/ARCHITECTURE.md, "Scorer").
local function key(ns, ...) return ns .. ':' .. table.concat({...}, ':') end

-- Scores (ranking keys near 2^114 x days) travel as strings from the client and
-- are handed to Redis as they came: a Lua number would be printed with 14
-- digits and lose bits, and the board must equal a ranking from scratch exactly.
