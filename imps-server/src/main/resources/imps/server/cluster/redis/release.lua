-- release.lua: a session ended; deletes its user's entry only if it is still this session's, so
-- that a late logout never removes a newer login.
--
-- KEYS[1]  imps:u:<user id>    the user's entry, 'instance|token|status|name'
-- KEYS[2]  imps:n:<instance>   the user ids of this instance's sessions
-- ARGV[1]  'instance|token|'   how this session's entry begins
-- ARGV[2]  the user id
-- ARGV[3]  'instance|'         how an entry of any session of this instance begins
--
-- Returns 1 when the entry was this session's: it is deleted and the user id leaves KEYS[2].
-- Returns 0 when a newer session (or nothing) holds the entry: it is left as it is.
--
-- In the second case the user id still leaves KEYS[2] if no session of this instance holds the
-- user any more: the entry is gone, or it names another instance (the user logged in again
-- elsewhere). It stays when the entry names this instance with another token: a newer login of
-- the same user on this node, whose session must stay listed (the set tells a sweeping node whose
-- entries to drop if this instance dies, and this instance which entries to check after an outage).
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1]); redis.call('SREM', KEYS[2], ARGV[2]); return 1
end
if (not v) or string.sub(v, 1, #ARGV[3]) ~= ARGV[3] then
  redis.call('SREM', KEYS[2], ARGV[2])
end
return 0
