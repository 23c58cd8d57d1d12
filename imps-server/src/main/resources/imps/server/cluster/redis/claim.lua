-- claim.lua: makes a session its user's current one, on any node.
--
-- KEYS[1]  imps:u:<user id>    the user's entry, 'instance|token|status|name'
-- KEYS[2]  imps:n:<instance>   the user ids of this instance's sessions
-- ARGV[1]  the new session's entry
-- ARGV[2]  the user id, added to KEYS[2]
--
-- Returns the previous entry, or nil when there was none. If it names another instance, the
-- caller kicks that older session there (newest login wins).
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return old
