//! The store's Lua scripts: each runs in Redis as one step, with nothing in between.

use std::sync::LazyLock;

use ::redis::Script;

/// Shared Lua helpers: walking a JSON pointer, and JSON equality of decoded values.
pub(super) const LUA_JSON: &str = r#"
-- The value at RFC 6901 `pointer` in `doc` (decoded by cjson): found, value.
local function walk(doc, pointer)
  if pointer == '' then return true, doc end
  if string.sub(pointer, 1, 1) ~= '/' then return false, nil end
  local node = doc
  for token in string.gmatch(string.sub(pointer, 2) .. '/', '([^/]*)/') do
    token = string.gsub(token, '~1', '/')
    token = string.gsub(token, '~0', '~')
    if type(node) ~= 'table' then return false, nil end
    local child = node[token]
    -- cjson decodes an array as a table with keys 1..n: "/0" is its first item.
    if child == nil and string.match(token, '^%d+$')
        and (token == '0' or string.sub(token, 1, 1) ~= '0') then
      child = node[tonumber(token) + 1]
    end
    if child == nil then return false, nil end
    node = child
  end
  return true, node
end

-- JSON equality: same type, same scalar, or tables with equal members.
local function equal(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= 'table' then return a == b end
  for k, v in pairs(a) do
    if not equal(v, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end
"#;

/// One atomic write of one scope.
///
/// KEYS: scope hash, pristine set, total, sequence.
/// ARGV: scope name, then
/// - `insert id version json max max_records [pointer value_json]...`
/// - `replace id version json expected`
/// - `delete id expected`
///
/// Answers `done`, `full`, `stale`, `taken` (the id) or `taken:I` (the `I`th unique value).
pub(super) const WRITE_LUA: &str = r#"
local scope, pristine, total, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local name, op, id = ARGV[1], ARGV[2], ARGV[3]

-- A kept record is "SEQ:VERSION:JSON".
local function header(kept)
  return string.match(kept, '^(%d+):(%d+):')
end

if op == 'insert' then
  local version, json = ARGV[4], ARGV[5]
  if redis.call('HLEN', scope) >= tonumber(ARGV[6]) then return 'full' end
  if tonumber(redis.call('GET', total) or '0') >= tonumber(ARGV[7]) then return 'full' end
  if redis.call('HEXISTS', scope, id) == 1 then return 'taken' end
  if #ARGV >= 9 then
    local records = {}
    for i, kept in ipairs(redis.call('HVALS', scope)) do
      local body = string.match(kept, '^%d+:%d+:(.*)$')
      records[i] = cjson.decode(body)['record']
    end
    for at = 8, #ARGV - 1, 2 do
      local expected = cjson.decode(ARGV[at + 1])
      for _, record in ipairs(records) do
        local found, value = walk(record, ARGV[at])
        if found and equal(value, expected) then
          return 'taken:' .. string.format('%d', (at - 8) / 2)
        end
      end
    end
  end
  local n = redis.call('INCR', seq)
  redis.call('HSET', scope, id, string.format('%d', n) .. ':' .. version .. ':' .. json)
  redis.call('INCR', total)
elseif op == 'replace' then
  local version, json, expected = ARGV[4], ARGV[5], ARGV[6]
  local current = redis.call('HGET', scope, id)
  if not current then return 'stale' end
  local n, held = header(current)
  if held ~= expected then return 'stale' end
  redis.call('HSET', scope, id, n .. ':' .. version .. ':' .. json)
elseif op == 'delete' then
  local expected = ARGV[4]
  local current = redis.call('HGET', scope, id)
  if not current then return 'stale' end
  local _, held = header(current)
  if held ~= expected then return 'stale' end
  redis.call('HDEL', scope, id)
  redis.call('DECR', total)
else
  return redis.error_reply('keygate: unknown write ' .. tostring(op))
end
redis.call('SREM', pristine, name)
return 'done'
"#;

/// Seeds, once (`seed`) or after forgetting scopes (`reset`), in one atomic step.
///
/// KEYS: seeded marker, pristine set, total, sequence, then D scopes to forget, then S seed
/// scopes.
/// ARGV: mode (`once` or `reset`), vendor prefix whose pristine marks go (`vendor/`, or
/// empty for all), D, S, then per seed scope: its name, its record count N, and N times
/// `id version json`.
///
/// Answers 1 when it seeded, 0 when `once` found the store seeded already.
pub(super) const SEED_LUA: &str = r#"
local seeded, pristine, total, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local mode, prefix = ARGV[1], ARGV[2]
local dropped, seeds = tonumber(ARGV[3]), tonumber(ARGV[4])
if mode == 'once' and redis.call('EXISTS', seeded) == 1 then return 0 end

local function forget(key)
  local held = redis.call('HLEN', key)
  if held > 0 then
    redis.call('DEL', key)
    redis.call('DECRBY', total, held)
  end
end

for k = 5, 4 + dropped do forget(KEYS[k]) end
if mode == 'reset' then
  for _, member in ipairs(redis.call('SMEMBERS', pristine)) do
    if prefix == '' or string.sub(member, 1, #prefix) == prefix then
      redis.call('SREM', pristine, member)
    end
  end
end

local at = 5
for s = 1, seeds do
  local key = KEYS[4 + dropped + s]
  forget(key)
  local name, count = ARGV[at], tonumber(ARGV[at + 1])
  at = at + 2
  for _ = 1, count do
    local n = redis.call('INCR', seq)
    redis.call('HSET', key, ARGV[at], string.format('%d', n) .. ':' .. ARGV[at + 1] .. ':' .. ARGV[at + 2])
    at = at + 3
  end
  redis.call('INCRBY', total, redis.call('HLEN', key))
  redis.call('SADD', pristine, name)
end
redis.call('SET', seeded, '1')
return 1
"#;

/// [`WRITE_LUA`] with its helpers, hashed once.
pub(super) static WRITE: LazyLock<Script> =
    LazyLock::new(|| Script::new(&format!("{LUA_JSON}{WRITE_LUA}")));
/// [`SEED_LUA`], hashed once.
pub(super) static SEED: LazyLock<Script> = LazyLock::new(|| Script::new(SEED_LUA));
