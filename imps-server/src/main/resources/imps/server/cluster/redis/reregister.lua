-- reregister.lua: after Redis was unreachable, or lost this instance's keys (it restarted, or
-- another node cleaned this instance out), registers one of this instance's sessions again.
--
-- KEYS[1]  imps:u:<user id>    the user's entry, 'instance|token|status|name'
-- KEYS[2]  imps:n:<instance>   the user ids of this instance's sessions
-- ARGV[1]  the session's entry as it is now (its status may have changed during the outage)
-- ARGV[2]  the user id, added to KEYS[2]
-- ARGV[3]  '|token|'           the session's token between the bars that delimit it
--
-- Returns 'missing' when there was no entry, 'ours' when the entry was this session's (either way
-- ARGV[1] is written and the user id added to KEYS[2]), or else the entry that is there: a newer
-- login of the user elsewhere, left as it is (the caller ends this session).
--
-- The entry is recognised as this session's by its token alone: '|token|' is searched anywhere in
-- the value, as plain text (string.find's fourth argument, so the '-' of a negative token is no
-- pattern character). The token is the session's random 64-bit number and the entry's second
-- field, so finding it between bars identifies the session whatever the entry's status field says
-- (it may differ from ARGV[1] if a status change was lost). The only other free text, the name at
-- the end, cannot match by chance: nobody outside this node knows the token.
local v = redis.call('GET', KEYS[1])
if (not v) or string.find(v, ARGV[3], 1, true) then
  redis.call('SET', KEYS[1], ARGV[1]); redis.call('SADD', KEYS[2], ARGV[2])
  if v then return 'ours' end
  return 'missing'
end
return v
