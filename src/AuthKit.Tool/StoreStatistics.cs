using AuthKit.Sessions.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Tool;

/// <summary>What <c>authkit sessions stats</c> reports: counts read from the store's own layout, without reading records.</summary>
internal sealed record StoreStatistics(string Kind, string Where, StoreCapabilities Capabilities, IReadOnlyList<(string Name, string Value)> Figures)
{
    public static async Task<StoreStatistics> CollectAsync(StoreHost host, CancellationToken cancellationToken)
        => host.Kind == StoreHost.File
            ? await host.RunAsync(_ => Task.FromResult(File(host, cancellationToken))).ConfigureAwait(false)
            : await host.RunAsync(_ => RedisAsync(host, cancellationToken)).ConfigureAwait(false);

    // The file store's layout (records/{key}.session with the expiry as modification time, users/{digest}/, tmp/) is
    // described in FileStoreLayout; the tool's tests create sessions through the store and check these counts.
    private static StoreStatistics File(StoreHost host, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        long live = 0, due = 0, bytes = 0;
        foreach (var file in new DirectoryInfo(Path.Combine(host.Where, "records")).EnumerateFiles("*.session"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            bytes += file.Length;
            if (file.LastWriteTimeUtc > now)
            {
                live++;
            }
            else
            {
                due++;
            }
        }

        var users = Directory.Exists(Path.Combine(host.Where, "users")) ? Directory.EnumerateDirectories(Path.Combine(host.Where, "users")).LongCount() : 0;
        var temp = Directory.Exists(Path.Combine(host.Where, "tmp")) ? Directory.EnumerateFiles(Path.Combine(host.Where, "tmp")).LongCount() : 0;
        return new StoreStatistics(StoreHost.File, host.Where, host.Store.Capabilities,
        [
            ("records", live.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("expired_awaiting_sweep", due.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("users_indexed", users.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("writes_in_progress", temp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("record_bytes", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
    }

    // Records are hashes and user indexes are sets, all under the configured key prefix (RedisScripts). Every primary of a
    // cluster is scanned; nothing is read but key names and types.
    private static async Task<StoreStatistics> RedisAsync(StoreHost host, CancellationToken cancellationToken)
    {
        var options = host.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        options.ConfigureConnection?.Invoke(configuration);
        configuration.AbortOnConnectFail = true;
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        configuration.AllowAdmin = false;
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var database = connection.GetDatabase();
        var pattern = EscapeGlob(options.KeyPrefix!) + "*"; // set by post-configuration (authkit:{ApplicationName}: by default)
        long records = 0, users = 0, other = 0;
        var primaries = connection.GetServers().Where(s => !s.IsReplica).ToList();
        foreach (var server in primaries)
        {
            var batch = new List<RedisKey>(500);
            await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == 500)
                {
                    (records, users, other) = Add((records, users, other), await TypesAsync(database, batch).ConfigureAwait(false));
                    batch.Clear();
                }
            }

            (records, users, other) = Add((records, users, other), await TypesAsync(database, batch).ConfigureAwait(false));
        }

        var version = primaries.FirstOrDefault()?.Version.ToString() ?? "?";
        return new StoreStatistics(StoreHost.Redis, host.Where, host.Store.Capabilities,
        [
            ("records", records.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("users_indexed", users.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("other_keys_under_prefix", other.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("key_prefix", options.KeyPrefix!),
            ("servers", primaries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("server_version", version),
        ]);
    }

    private static async Task<(long Records, long Users, long Other)> TypesAsync(IDatabase database, List<RedisKey> keys)
    {
        var types = await Task.WhenAll(keys.Select(k => database.KeyTypeAsync(k))).ConfigureAwait(false);
        return (types.LongCount(t => t == RedisType.Hash), types.LongCount(t => t == RedisType.Set), types.LongCount(t => t is not (RedisType.Hash or RedisType.Set or RedisType.None)));
    }

    private static (long, long, long) Add((long A, long B, long C) x, (long A, long B, long C) y) => (x.A + y.A, x.B + y.B, x.C + y.C);

    private static string EscapeGlob(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
