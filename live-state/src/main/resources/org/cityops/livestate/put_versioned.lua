-- KEYS[1] hash, KEYS[2] set naming every such hash; ARGV: 1 version, 2 document, 3 member name.
-- Applied only if newer. Optionally (public warnings) KEYS[3] the delta stream: an applied write is
-- appended with ARGV 4 its kind ('' for none) and ARGV 5 the stream's max length.
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'doc', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
if KEYS[3] and ARGV[4] ~= '' then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'kind', ARGV[4], 'id', ARGV[3], 'v', ARGV[1], 'doc', ARGV[2])
end
return 1
