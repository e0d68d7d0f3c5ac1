-- One borough's board as a ranking needs it, read at one version: the first n
-- entries by key, plus every entry whose key is within a relative `margin` of
-- the n-th (two keys that close may round to one score at some moment and then
-- be ordered by the tie-break, as a ranking from scratch would order them;
-- shared/harm/rank.ts TIE_MARGIN), each with its tie-break facts; the board's
-- version; and the ranking last published for the borough with the version it
-- was read at.
-- ARGV: ns, borough, n, margin
-- Returns { version, publishedRanking or '', publishedVersion or '', {id, key, tie, id, key, tie, ...} }
local ns, b, n, margin = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local board = key(ns, 'board', b)
local tie = key(ns, 'tie', b)
local rows = redis.call('ZREVRANGE', board, 0, n - 1, 'WITHSCORES')
if #rows == 2 * n then
  local threshold = tonumber(rows[2 * n]) * (1 - margin)
  local i = n
  while true do
    local more = redis.call('ZREVRANGE', board, i, i, 'WITHSCORES')
    if #more == 0 or tonumber(more[2]) < threshold then break end
    rows[#rows + 1] = more[1]
    rows[#rows + 1] = more[2]
    i = i + 1
  end
end
local out = {}
for j = 1, #rows, 2 do
  out[#out + 1] = rows[j]
  out[#out + 1] = rows[j + 1]
  out[#out + 1] = redis.call('HGET', tie, rows[j]) or '|0'
end
local top = redis.call('HMGET', key(ns, 'top', b), 'ranking', 'ver')
return { redis.call('GET', key(ns, 'ver', b)) or '0', top[1] or '', top[2] or '', out }
