-- Kafka has a message decided by time alone: forget it, unless a newer one
-- for the borough has replaced it meanwhile (publish.lua keeps the latest).
-- ARGV: ns, borough, message
local top = key(ARGV[1], 'top', ARGV[2])
if redis.call('HGET', top, 'unsent') == ARGV[3] then redis.call('HDEL', top, 'unsent') end
return 0
