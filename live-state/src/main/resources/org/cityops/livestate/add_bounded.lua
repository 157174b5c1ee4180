-- Adds a document to a bounded, time-ordered list once (a repeat is ignored); dead letters, alerts.
-- KEYS[1] sorted set of ids by time, KEYS[2] hash id -> document, KEYS[3] delta stream
-- ARGV: 1 id, 2 time, 3 document, 4 how many to keep,
--       5 delta kind to append to the stream ('' for none), 6 stream max length
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  return 0
end
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
  redis.call('HDEL', KEYS[2], unpack(old))
end
if ARGV[5] ~= '' then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'kind', ARGV[5], 'id', ARGV[1], 'v', '1', 'doc', ARGV[3])
end
return 1
