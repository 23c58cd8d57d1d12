-- drop-if-instance.lua: deletes a user's entry if it names the given instance. Used for a dead
-- instance's users (by the node that cleans it out) and for this instance's sessions that ended
-- while Redis was unreachable; users who logged in again elsewhere are left alone.
--
-- KEYS[1]  imps:u:<user id>    the user's entry, 'instance|token|status|name'
-- ARGV[1]  'instance|'         how an entry of any session of that instance begins
--
-- Returns the deleted entry (its status and name say whether and as whom to tell friends the
-- user went offline), or nil when nothing was deleted.
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1]); return v
end
return false
