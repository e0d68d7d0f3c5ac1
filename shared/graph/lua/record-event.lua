-- Records an event (an incident version, or a justice event) on the graph,
-- once: the event id is the idempotency key, so a replay, a rebalance or a
-- second resolver changes nothing.
-- The event also goes on the retention review's queue, by when it happened
-- (docs/SECURITY.md "Retention"): the one command that keeps the review
-- from walking the whole graph.
-- ARGV: ns, eventId, incidentId ('' for a justice event: not counted as an
-- incident), version (0 then), facts (JSON), time (ms: the call received, the
-- justice event occurred), recordIds...
-- Returns nil when recorded now; the facts recorded the first time when it was already there.
local ns, eventId, incidentId, version, facts, at = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local evt = key(ns, 'evt', eventId)
local before = redis.call('HGET', evt, 'facts')
if before then return before end
redis.call('ZADD', key(ns, 'review', 'events'), at, eventId)
local records = {}
for i = 7, #ARGV do
  records[#records + 1] = ARGV[i]
  redis.call('HSET', key(ns, 'recevt'), ARGV[i], eventId)
end
-- A JSON array: a record id may hold any character, so no separator could
-- tell where one ends (history.lua reads it back). cjson writes an empty table as {}.
redis.call('HSET', evt, 'facts', facts, 'records', #records == 0 and '[]' or cjson.encode(records))
if incidentId ~= '' then
  -- A later version of an incident is the same incident: count it once.
  if redis.call('HSET', key(ns, 'inc', incidentId), version, eventId) == 1 and redis.call('HLEN', key(ns, 'inc', incidentId)) == 1 then
    redis.call('HINCRBY', key(ns, 'events'), 'incidents', 1)
  end
end
redis.call('HINCRBY', key(ns, 'events'), 'events', 1)
return false
