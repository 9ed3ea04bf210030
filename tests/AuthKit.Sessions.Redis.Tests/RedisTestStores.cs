using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>Stores over the shared test server, each under its own key prefix, and raw access to what they wrote.</summary>
internal static class RedisTestStores
{
    private static readonly Lazy<Task<IConnectionMultiplexer>> s_shared = new(async () =>
    {
        var server = await RedisTestServer.GetSharedAsync();
        return await server.ConnectAsync();
    });

    /// <summary>One connection to the shared server for the whole test run (the stores are given it, so they do not close it).</summary>
    public static Task<IConnectionMultiplexer> SharedConnectionAsync() => s_shared.Value;

    public static RedisSessionStoreOptions Options(string? prefix = null, Action<RedisSessionStoreOptions>? configure = null)
    {
        var options = new RedisSessionStoreOptions { KeyPrefix = prefix ?? RedisTestServer.UniquePrefix("ak-test"), OperationTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return options;
    }

    public static async Task<RedisSessionStore> CreateAsync(TimeProvider time, RedisSessionStoreOptions? options = null)
    {
        var connection = await SharedConnectionAsync();
        return new RedisSessionStore(Microsoft.Extensions.Options.Options.Create(options ?? Options()), time, connection);
    }

    /// <summary>Every key under <paramref name="prefix"/>, with its type and contents.</summary>
    public static async Task<List<RawEntry>> DumpAsync(IConnectionMultiplexer connection, string prefix)
    {
        var db = connection.GetDatabase();
        var entries = new List<RawEntry>();
        var keys = new List<RedisKey>();

        // Every primary: on a cluster each holds part of the keyspace.
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 500))
            {
                keys.Add(key);
            }
        }

        foreach (var key in keys.Distinct())
        {
            var type = await db.KeyTypeAsync(key);
            var values = new List<byte[]>();
            switch (type)
            {
                case RedisType.Hash:
                    foreach (var field in await db.HashGetAllAsync(key))
                    {
                        values.Add((byte[])field.Name!);
                        values.Add((byte[])field.Value!);
                    }

                    break;
                case RedisType.Set:
                    values.AddRange((await db.SetMembersAsync(key)).Select(m => (byte[])m!));
                    break;
                case RedisType.String:
                    values.Add((byte[])(await db.StringGetAsync(key))!);
                    break;
                case RedisType.None:
                    continue;
                default:
                    throw new InvalidOperationException($"Unexpected {type} at {key}.");
            }

            entries.Add(new RawEntry((string)key!, type, values, await db.KeyTimeToLiveAsync(key)));
        }

        return entries;
    }

    public static IReadOnlyList<byte[]> Flatten(IEnumerable<RawEntry> entries)
        => entries.SelectMany(e => e.Values.Prepend(System.Text.Encoding.UTF8.GetBytes(e.Key))).ToList();

    internal sealed record RawEntry(string Key, RedisType Type, List<byte[]> Values, TimeSpan? TimeToLive);
}
