-- Versioned, idempotent incident write (architecture brief, decision 2).
-- KEYS[1] incident hash, KEYS[2] incidents sorted set, KEYS[3] delta stream
-- ARGV: 1 version, 2 key prefix, 3 incident id, 4 status, 5 departments (comma-separated),
--       6 district, 7 document, 8 sort score, 9 stream max length, 10 the job run that wrote it
--       ('' for a copy of what Kafka committed)
-- Applied if newer, or if a different run of the job wrote what is held: a run restarted from a
-- checkpoint supersedes what the failed run wrote after that checkpoint (never committed).
local version = tonumber(ARGV[1])
local held = redis.call('HMGET', KEYS[1], 'v', 'run')
local current = held[1]
if current and tonumber(current) >= version and (ARGV[10] == '' or ARGV[10] == (held[2] or '')) then
  return 0
end
local p, id = ARGV[2], ARGV[3]
if current then
  local old = redis.call('HMGET', KEYS[1], 'status', 'depts', 'district')
  redis.call('SREM', p .. 'idx:status:' .. old[1], id)
  for d in string.gmatch(old[2] or '', '[^,]+') do
    redis.call('SREM', p .. 'idx:dept:' .. d, id)
  end
  if old[3] and old[3] ~= '' then
    redis.call('SREM', p .. 'idx:district:' .. old[3], id)
  end
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'doc', ARGV[7], 'status', ARGV[4], 'depts', ARGV[5], 'district', ARGV[6], 'run', ARGV[10])
redis.call('SADD', p .. 'idx:status:' .. ARGV[4], id)
for d in string.gmatch(ARGV[5], '[^,]+') do
  redis.call('SADD', p .. 'idx:dept:' .. d, id)
end
if ARGV[6] ~= '' then
  redis.call('SADD', p .. 'idx:district:' .. ARGV[6], id)
end
redis.call('ZADD', KEYS[2], tonumber(ARGV[8]), id)
-- superseding an earlier run's higher version: screens must replace, not ignore, what they hold
local kind = 'incident'
if current and tonumber(current) >= version then
  kind = 'correction'
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[9], '*', 'kind', kind, 'id', id, 'v', ARGV[1], 'doc', ARGV[7])
return 1
