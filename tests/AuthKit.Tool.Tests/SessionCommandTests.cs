using System.Text.Json;
using AuthKit.Sessions.File;
using AuthKit.Sessions.Redis;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Options;

namespace AuthKit.Tool.Tests;

/// <summary>
/// <c>authkit sessions list | revoke | stats</c> against real stores: a session directory written by the file store, and
/// Redis (a real server when one answers, else Garnet), opened by the tool from the app's configuration alone.
/// </summary>
public sealed class SessionCommandTests : IDisposable
{
    private readonly TempDirectory _app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _app.Dispose();

    private static SessionRecord Record(string userId, SessionRecordKind kind = SessionRecordKind.Session)
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionRecord
        {
            Key = SessionKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            Kind = kind,
            UserId = userId,
            Principal = ToolConfiguration.User(userId),
            AuthenticationScheme = "AuthKit.Session",
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddMinutes(20),
            AbsoluteExpiresAt = now.AddHours(8),
        };
    }

    private static async Task<SessionRecord[]> SeedAsync(ISessionStore store, params string[] users)
    {
        var records = users.Select(u => Record(u)).ToArray();
        foreach (var r in records)
        {
            Assert.True(await store.CreateAsync(r, Ct));
        }

        return records;
    }

    /// <summary>The app's appsettings.json, with the session directory relative to it, as apps usually have it.</summary>
    private (string ConfigPath, FileSessionStore Store) FileApp()
    {
        var config = _app.File("appsettings.json");
        File.WriteAllText(config, """{ "AuthKit": { "FileStore": { "Directory": "App_Data/sessions" } } }""");
        var directory = Path.Combine(_app.Path, "App_Data", "sessions");
        return (config, new FileSessionStore(Options.Create(new FileSessionStoreOptions { Directory = directory }), TimeProvider.System));
    }

    [Fact]
    public async Task File_list_shows_exactly_the_users_sessions()
    {
        var (config, store) = FileApp();
        var records = await SeedAsync(store, "alice", "alice", "bob");
        var result = await ToolRunner.RunAsync("sessions", "list", "--user", "alice", "--config", config);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(records[0].Key.ToString(), result.Out, StringComparison.Ordinal);
        Assert.Contains(records[1].Key.ToString(), result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(records[2].Key.ToString(), result.Out, StringComparison.Ordinal);
        Assert.Contains($"2 records of user 'alice' in the file store at {Path.Combine(_app.Path, "App_Data", "sessions")}.", result.Out, StringComparison.Ordinal);

        var json = await ToolRunner.RunAsync("sessions", "list", "--user", "alice", "--config", config, "--json");
        using var doc = JsonDocument.Parse(json.Out);
        var handles = doc.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("handle").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { records[0].Key.ToString(), records[1].Key.ToString() }, handles);
        Assert.All(doc.RootElement.GetProperty("records").EnumerateArray(), r => Assert.Equal("session", r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task File_revoke_signs_the_user_out_everywhere_and_no_one_else()
    {
        var (config, store) = FileApp();
        var records = await SeedAsync(store, "alice", "alice", "bob");
        var refresh = Record("alice", SessionRecordKind.RefreshToken);
        Assert.True(await store.CreateAsync(refresh, Ct));

        var result = await ToolRunner.RunAsync("sessions", "revoke", "--user", "alice", "--config", config);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Revoked 3 records", result.Out, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(records[0].Key, Ct));
        Assert.Null(await store.GetAsync(records[1].Key, Ct));
        Assert.Null(await store.GetAsync(refresh.Key, Ct));
        Assert.NotNull(await store.GetAsync(records[2].Key, Ct));
    }

    [Fact]
    public async Task Revoke_with_a_handle_ends_that_session_only_and_never_another_users()
    {
        var (config, store) = FileApp();
        var records = await SeedAsync(store, "alice", "alice", "bob");

        var one = await ToolRunner.RunAsync("sessions", "revoke", "--user", "alice", "--handle", records[0].Key.ToString(), "--config", config);
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Null(await store.GetAsync(records[0].Key, Ct));
        Assert.NotNull(await store.GetAsync(records[1].Key, Ct));

        var other = await ToolRunner.RunAsync("sessions", "revoke", "--user", "alice", "--handle", records[2].Key.ToString(), "--config", config);
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("has no session", other.Error, StringComparison.Ordinal);
        Assert.NotNull(await store.GetAsync(records[2].Key, Ct));

        var bad = await ToolRunner.RunAsync("sessions", "revoke", "--user", "alice", "--handle", "xyz", "--config", config);
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task File_stats_counts_records_and_users()
    {
        var (config, store) = FileApp();
        await SeedAsync(store, "alice", "alice", "bob");
        var result = await ToolRunner.RunAsync("sessions", "stats", "--config", config, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("file", doc.RootElement.GetProperty("store").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("records").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("users_indexed").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("expired_awaiting_sweep").GetInt64());
    }

    [Fact]
    public async Task The_store_can_come_from_environment_variables_alone()
    {
        var (_, store) = FileApp();
        var records = await SeedAsync(store, "carol");
        var result = await ToolRunner.RunAsync(["sessions", "list", "--user", "carol"], workingDirectory: Path.GetTempPath(), environment: new Dictionary<string, string?>
        {
            ["AuthKit__FileStore__Directory"] = Path.Combine(_app.Path, "App_Data", "sessions"),
        });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(records[0].Key.ToString(), result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_list_revoke_and_stats_use_the_apps_store()
    {
        var server = await RedisTestServer.GetSharedAsync();
        var prefix = RedisTestServer.UniquePrefix("ak-tool");
        var store = new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { Configuration = server.ConnectionString, KeyPrefix = prefix }), TimeProvider.System);
        await using var _ = store;
        var records = await SeedAsync(store, "alice", "alice", "bob");
        var env = new Dictionary<string, string?>
        {
            ["AuthKit__RedisStore__Configuration"] = server.ConnectionString,
            ["AuthKit__RedisStore__KeyPrefix"] = prefix,
        };

        var stats = await ToolRunner.RunAsync(["sessions", "stats", "--json"], environment: env);
        Assert.True(stats.ExitCode == 0, stats.ToString());
        using (var doc = JsonDocument.Parse(stats.Out))
        {
            Assert.Equal("redis", doc.RootElement.GetProperty("store").GetString());
            Assert.Equal(3, doc.RootElement.GetProperty("records").GetInt64());
            Assert.Equal(2, doc.RootElement.GetProperty("users_indexed").GetInt64());
        }

        var list = await ToolRunner.RunAsync(["sessions", "list", "--user", "alice"], environment: env);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(records[0].Key.ToString(), list.Out, StringComparison.Ordinal);
        Assert.Contains(records[1].Key.ToString(), list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(records[2].Key.ToString(), list.Out, StringComparison.Ordinal);
        Assert.Contains($"redis store at {server.ConnectionString}", list.Out, StringComparison.Ordinal);

        var revoke = await ToolRunner.RunAsync(["sessions", "revoke", "--user", "alice"], environment: env);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Contains("Revoked 2 records", revoke.Out, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(records[0].Key, Ct));
        Assert.Null(await store.GetAsync(records[1].Key, Ct));
        Assert.NotNull(await store.GetAsync(records[2].Key, Ct));
    }

    [Fact]
    public async Task No_store_configured_exits_3_naming_both_settings()
    {
        var result = await ToolRunner.RunAsync(["sessions", "stats"], workingDirectory: _app.Path);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("AuthKit:FileStore:Directory", result.Error, StringComparison.Ordinal);
        Assert.Contains("AuthKit:RedisStore:Configuration", result.Error, StringComparison.Ordinal);
        Assert.Contains("--config", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_that_does_not_exist_is_not_created()
    {
        var config = _app.File("appsettings.json");
        await File.WriteAllTextAsync(config, """{ "AuthKit": { "FileStore": { "Directory": "typo" } } }""", Ct);
        var result = await ToolRunner.RunAsync("sessions", "list", "--user", "alice", "--config", config);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_app.File("typo")));
    }

    [Fact]
    public async Task Both_stores_configured_asks_which_one()
    {
        var config = _app.File("appsettings.json");
        await File.WriteAllTextAsync(config, """{ "AuthKit": { "FileStore": { "Directory": "." }, "RedisStore": { "Configuration": "127.0.0.1:1" } } }""", Ct);
        var result = await ToolRunner.RunAsync("sessions", "stats", "--config", config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--store file or --store redis", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_down_exits_4_without_echoing_the_password()
    {
        var env = new Dictionary<string, string?>
        {
            ["AuthKit__RedisStore__Configuration"] = "127.0.0.1:1,password=hunter2,connectTimeout=500",
            ["AuthKit__ApplicationName"] = "shop",
            ["AuthKit__RedisStore__OperationTimeout"] = "00:00:01",
            ["AuthKit__RedisStore__ConnectTimeout"] = "00:00:00.5",
        };
        var result = await ToolRunner.RunAsync(["sessions", "list", "--user", "alice"], environment: env);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("127.0.0.1:1", result.Error, StringComparison.Ordinal);
        Assert.Contains("Check that Redis runs", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_without_the_apps_name_or_key_prefix_says_which_setting_names_the_app()
    {
        var env = new Dictionary<string, string?> { ["AuthKit__RedisStore__Configuration"] = "127.0.0.1:1" };
        var result = await ToolRunner.RunAsync(["sessions", "list", "--user", "alice"], environment: env);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("AuthKit__ApplicationName", result.Error, StringComparison.Ordinal);
        Assert.Contains("AuthKit:RedisStore:KeyPrefix", result.Error, StringComparison.Ordinal);
    }
}
