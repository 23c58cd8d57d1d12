-- update.lua: a session's status changed (online or invisible); rewrites its user's entry only if
-- it is still this session's, so that a late change never overwrites a newer login.
--
-- KEYS[1]  imps:u:<user id>    the user's entry, 'instance|token|status|name'
-- ARGV[1]  'instance|token|'   how this session's entry begins
-- ARGV[2]  the session's new entry
--
-- Returns 1 when the entry was rewritten, 0 when it belongs to another session or is gone.
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2]); return 1
end
return 0
