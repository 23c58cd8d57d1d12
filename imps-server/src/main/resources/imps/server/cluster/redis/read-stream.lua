-- read-stream.lua: the next entries of this instance's stream, and how many entries were trimmed
-- from it, in one atomic step (so that the reader can tell whether entries it never read were
-- trimmed: review finding M7). Needs Redis 7 (entries-added).
--
-- KEYS[1]  imps:s:<instance>   this instance's stream
-- ARGV[1]  the id of the last entry read ('0-0' at first)
-- ARGV[2]  how many entries to return at most
--
-- Returns {trimmed, first, entries}: trimmed is how many entries were ever added to the stream
-- and are no longer in it (trimming takes the oldest, so they are the first ones), first is the
-- id of its first entry ('' when the stream is empty or absent), entries are those after ARGV[1]
-- as XRANGE returns them.
local length = redis.call('XLEN', KEYS[1])
if length == 0 then
  return {0, '', {}}
end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local added = length
for i = 1, #info, 2 do
  if info[i] == 'entries-added' then
    added = info[i + 1]
  end
end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
return {added - length, first, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}
