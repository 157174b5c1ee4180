-- Puts an incident back to what Kafka committed after a job restart (LiveViewKeeper#reconcile):
-- applied only if the view still holds the version the keeper compared (a newer write won).
-- KEYS[1] incident hash, KEYS[2] incidents sorted set, KEYS[3] delta stream
-- ARGV: 1 expected version, 2 key prefix, 3 incident id, 4 committed version ('' = withdraw: never
--       committed), 5 status, 6 departments, 7 district, 8 document, 9 sort score, 10 stream max,
--       11 the run expected to have written it
local held = redis.call('HMGET', KEYS[1], 'v', 'run')
if not held[1] or held[1] ~= ARGV[1] or (held[2] or '') ~= ARGV[11] then
  return 0
end
local p, id = ARGV[2], ARGV[3]
local old = redis.call('HMGET', KEYS[1], 'status', 'depts', 'district')
redis.call('SREM', p .. 'idx:status:' .. old[1], id)
for d in string.gmatch(old[2] or '', '[^,]+') do
  redis.call('SREM', p .. 'idx:dept:' .. d, id)
end
if old[3] and old[3] ~= '' then
  redis.call('SREM', p .. 'idx:district:' .. old[3], id)
end
if ARGV[4] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], id)
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[10], '*', 'kind', 'withdrawn', 'id', id, 'v', ARGV[1], 'doc', '')
  return 1
end
redis.call('HSET', KEYS[1], 'v', ARGV[4], 'doc', ARGV[8], 'status', ARGV[5], 'depts', ARGV[6], 'district', ARGV[7], 'run', '')
redis.call('SADD', p .. 'idx:status:' .. ARGV[5], id)
for d in string.gmatch(ARGV[6], '[^,]+') do
  redis.call('SADD', p .. 'idx:dept:' .. d, id)
end
if ARGV[7] ~= '' then
  redis.call('SADD', p .. 'idx:district:' .. ARGV[7], id)
end
redis.call('ZADD', KEYS[2], tonumber(ARGV[9]), id)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[10], '*', 'kind', 'correction', 'id', id, 'v', ARGV[4], 'doc', ARGV[8])
return 1
