namespace AuthKit.Sessions.Redis.Internal;

/// <summary>
/// The Lua scripts behind every write. Redis runs a script atomically, so a record, its time-to-live and its user's index
/// change together or not at all. Times are microseconds since the Unix epoch on the application's clock (exact in Lua's
/// doubles); a record is live while its <c>e</c> field is greater than the caller's <c>now</c>.
/// </summary>
/// <remarks>
/// <para>Record hash fields: <c>v</c> version, <c>e</c> expiry (µs), <c>u</c> user ID (absent for anonymous records),
/// <c>d</c> the <see cref="SessionRecordSerializer"/> bytes. Index: a set per user of members <c>{tag}digest</c>, each the
/// record's key without the record prefix.</para>
/// <para>Every key a script touches is declared in <c>KEYS</c>, and the caller only passes keys of one hash slot (the
/// record and the index of its user share the user's <c>{tag}</c>), so the scripts run on Redis Cluster as on one
/// server. What a script cannot declare (the index of a record's previous user, known only inside the script) it returns,
/// and the caller removes that index entry with a fire-and-forget <c>SREM</c>; a stale entry left by a failure there is
/// harmless (every reader checks the record's user) and is pruned later.</para>
/// </remarks>
internal static class RedisScripts
{
    // KEYS[1] record, KEYS[2] user index (only with a user)
    // ARGV: now, expires, ttl ms, data, member, user (may be empty)
    // Returns 0 (a live record exists), or {1, previous user of an expired record replaced here (or false)}.
    public const string Create = """
        local e = redis.call('HGET', KEYS[1], 'e')
        if e and tonumber(e) > tonumber(ARGV[1]) then return 0 end
        local old = redis.call('HGET', KEYS[1], 'u')
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'v', '1', 'e', ARGV[2], 'd', ARGV[4])
        local ttl = tonumber(ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ttl)
        if ARGV[6] ~= '' then
          redis.call('HSET', KEYS[1], 'u', ARGV[6])
          redis.call('SADD', KEYS[2], ARGV[5])
          if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
        end
        if old and old ~= ARGV[6] then return {1, old} end
        return {1, false}
        """;

    // KEYS[1] record, KEYS[2] user index (only with a user)
    // ARGV: now, expires, ttl ms, data, member, user (may be empty), expected version, new version
    // Returns 0 (gone, expired or another version), or {1, previous user if the record changed hands (or false)}.
    public const string Update = """
        local h = redis.call('HMGET', KEYS[1], 'v', 'e', 'u')
        if not h[1] or not h[2] or h[1] ~= ARGV[7] or tonumber(h[2]) <= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[8], 'e', ARGV[2], 'd', ARGV[4])
        local ttl = tonumber(ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ttl)
        if ARGV[6] ~= '' then
          redis.call('HSET', KEYS[1], 'u', ARGV[6])
          redis.call('SADD', KEYS[2], ARGV[5])
          if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
        else
          redis.call('HDEL', KEYS[1], 'u')
        end
        if h[3] and h[3] ~= ARGV[6] then return {1, h[3]} end
        return {1, false}
        """;

    // KEYS[1] record; ARGV: now
    // Returns 0 (nothing there), or {1 if it was live else 0, its user (or false)}.
    public const string Remove = """
        local h = redis.call('HMGET', KEYS[1], 'e', 'u')
        if redis.call('DEL', KEYS[1]) == 0 then return 0 end
        local live = 0
        if h[1] and tonumber(h[1]) > tonumber(ARGV[1]) then live = 1 end
        return {live, h[2] or false}
        """;

    // KEYS[1] user index, KEYS[2..n] the records of the members ARGV[3..n+1]; ARGV: now, user, members…
    // Removes every declared record that still belongs to the user and its index entry, in one step: a sign-in running at
    // the same time lands either before (its entry was read, and it is removed here) or after (it survives, indexed).
    // Returns {records removed that were live, entries left in the index}.
    public const string RemoveByUser = """
        local now = tonumber(ARGV[1])
        local n = 0
        for i = 2, #KEYS do
          local h = redis.call('HMGET', KEYS[i], 'e', 'u')
          if h[2] == ARGV[2] then
            redis.call('DEL', KEYS[i])
            if h[1] and tonumber(h[1]) > now then n = n + 1 end
          end
          redis.call('SREM', KEYS[1], ARGV[i + 1])
        end
        return {n, redis.call('SCARD', KEYS[1])}
        """;

    // KEYS[1] user index, KEYS[2..n] the records of the members ARGV[4..n+2]; ARGV: now, user, '1' to return data, members…
    // Drops the entries whose record is gone, expired or now belongs to another user (and deletes the user's expired
    // records). Returns the live records as {member, data, member, data, …}, or the number of entries dropped.
    public const string ListAndPrune = """
        local now = tonumber(ARGV[1])
        local live = {}
        local pruned = 0
        for i = 2, #KEYS do
          local h = redis.call('HMGET', KEYS[i], 'e', 'u', ARGV[3] == '1' and 'd' or 'e')
          if h[2] == ARGV[2] and h[1] and tonumber(h[1]) > now then
            if ARGV[3] == '1' then
              live[#live + 1] = ARGV[i + 2]
              live[#live + 1] = h[3]
            end
          else
            redis.call('SREM', KEYS[1], ARGV[i + 2])
            if h[2] == ARGV[2] then redis.call('DEL', KEYS[i]) end
            pruned = pruned + 1
          end
        end
        if ARGV[3] == '1' then return live end
        return pruned
        """;
}
