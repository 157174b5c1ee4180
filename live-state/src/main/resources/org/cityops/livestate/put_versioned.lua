-- KEYS[1] hash, KEYS[2] set naming every such hash; ARGV: 1 version, 2 document, 3 member name.
-- Applied only if newer.
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'doc', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return 1
