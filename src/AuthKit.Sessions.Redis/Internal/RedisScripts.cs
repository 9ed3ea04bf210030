namespace AuthKit.Sessions.Redis.Internal;

/// <summary>
/// The Lua scripts behind every write. Redis runs a script atomically, so a record, its time-to-live and its user's index
/// change together or not at all. Times are microseconds since the Unix epoch on the application's clock (exact in Lua's
/// doubles); a record is live while its <c>e</c> field is greater than the caller's <c>now</c>.
/// </summary>
/// <remarks>
/// Record hash fields: <c>v</c> version, <c>e</c> expiry (µs), <c>u</c> user ID (absent for anonymous records),
/// <c>d</c> the <see cref="SessionRecordSerializer"/> bytes. Index: a set per user of record-key suffixes (hex digests).
/// </remarks>
internal static class RedisScripts
{
    // KEYS[1] record, KEYS[2] user index (only with a user)
    // ARGV: now, expires, ttl ms, data, member, user (may be empty), user-index prefix
    public const string Create = """
        local e = redis.call('HGET', KEYS[1], 'e')
        if e and tonumber(e) > tonumber(ARGV[1]) then return 0 end
        local old = redis.call('HGET', KEYS[1], 'u')
        redis.call('DEL', KEYS[1])
        if old and old ~= ARGV[6] then redis.call('SREM', ARGV[7] .. old, ARGV[5]) end
        redis.call('HSET', KEYS[1], 'v', '1', 'e', ARGV[2], 'd', ARGV[4])
        local ttl = tonumber(ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ttl)
        if ARGV[6] ~= '' then
          redis.call('HSET', KEYS[1], 'u', ARGV[6])
          redis.call('SADD', KEYS[2], ARGV[5])
          if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
        end
        return 1
        """;

    // KEYS[1] record, KEYS[2] user index (only with a user)
    // ARGV: now, expires, ttl ms, data, member, user (may be empty), user-index prefix, expected version, new version
    public const string Update = """
        local h = redis.call('HMGET', KEYS[1], 'v', 'e', 'u')
        if not h[1] or not h[2] or h[1] ~= ARGV[8] or tonumber(h[2]) <= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[9], 'e', ARGV[2], 'd', ARGV[4])
        local ttl = tonumber(ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ttl)
        if ARGV[6] ~= '' then
          redis.call('HSET', KEYS[1], 'u', ARGV[6])
          redis.call('SADD', KEYS[2], ARGV[5])
          if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
        else
          redis.call('HDEL', KEYS[1], 'u')
        end
        if h[3] and h[3] ~= ARGV[6] then redis.call('SREM', ARGV[7] .. h[3], ARGV[5]) end
        return 1
        """;

    // KEYS[1] record; ARGV: now, member, user-index prefix
    public const string Remove = """
        local h = redis.call('HMGET', KEYS[1], 'e', 'u')
        if redis.call('DEL', KEYS[1]) == 0 then return 0 end
        if h[2] then redis.call('SREM', ARGV[3] .. h[2], ARGV[2]) end
        if h[1] and tonumber(h[1]) > tonumber(ARGV[1]) then return 1 end
        return 0
        """;

    // KEYS[1] user index; ARGV: now, record-key prefix, user
    // Removes every record of the user and the index in one step: a sign-in running at the same time lands either
    // before (and is removed) or after (and survives whole, with its index entry).
    public const string RemoveByUser = """
        local members = redis.call('SMEMBERS', KEYS[1])
        local now = tonumber(ARGV[1])
        local n = 0
        for _, m in ipairs(members) do
          local k = ARGV[2] .. m
          local h = redis.call('HMGET', k, 'e', 'u')
          if h[2] == ARGV[3] then
            redis.call('DEL', k)
            if h[1] and tonumber(h[1]) > now then n = n + 1 end
          end
        end
        redis.call('DEL', KEYS[1])
        return n
        """;

    // KEYS[1] user index; ARGV: now, record-key prefix, user, '1' to return the live records' data
    // Drops index entries whose record is gone, expired or now belongs to another user (and deletes the user's expired records).
    public const string ListAndPrune = """
        local members = redis.call('SMEMBERS', KEYS[1])
        local now = tonumber(ARGV[1])
        local live = {}
        local pruned = 0
        for _, m in ipairs(members) do
          local k = ARGV[2] .. m
          local h = redis.call('HMGET', k, 'e', 'u', ARGV[4] == '1' and 'd' or 'e')
          if h[2] == ARGV[3] and h[1] and tonumber(h[1]) > now then
            if ARGV[4] == '1' then live[#live + 1] = h[3] end
          else
            redis.call('SREM', KEYS[1], m)
            if h[2] == ARGV[3] then redis.call('DEL', k) end
            pruned = pruned + 1
          end
        end
        if ARGV[4] == '1' then return live end
        return pruned
        """;
}
