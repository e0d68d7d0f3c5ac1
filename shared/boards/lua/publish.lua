-- Records a borough's ranking as published, if nothing moved since it was read:
-- the board's version is still the one read, and so is the ranking last
-- published (another scorer may have published meanwhile). Otherwise
-- 'conflict': read again, rank again. With a cause, the message (or '' when
-- the ranking did not change) is kept in ns:done:<cause>, so a replay of the
-- event sends the same message again rather than nothing.
-- ARGV: ns, borough, versionRead, publishedVersionRead, changed ('1' or '0'), ranking (JSON), at, cause, message
local ns, b, ver, topVer, changed, ranking, at, cause, message = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
if (redis.call('GET', key(ns, 'ver', b)) or '0') ~= ver then return 'conflict' end
local top = key(ns, 'top', b)
if (redis.call('HGET', top, 'ver') or '') ~= topVer then return 'conflict' end
if changed == '1' then
  redis.call('HSET', top, 'ranking', ranking, 'ver', ver, 'at', at)
else
  redis.call('HSET', top, 'ver', ver)
end
-- A change decided by time alone has no event to replay if it is lost before
-- Kafka has it: it is kept here until the scorer says it was sent (board.sent).
if changed == '1' and cause == '' then redis.call('HSET', top, 'unsent', message) end
if cause ~= '' then
  local done = key(ns, 'done', cause)
  if redis.call('EXISTS', done) == 1 then redis.call('HSET', done, 'msg:' .. b, message) end
end
return changed == '1' and 'published' or 'unchanged'
