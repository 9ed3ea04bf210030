using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary><c>UseRedisSessionStore()</c>: options from configuration, start-up validation, the connection source, the health check.</summary>
public sealed class RedisSessionStoreRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null, Action<RedisSessionStoreOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        services?.Invoke(builder.Services);
        builder.Services.AddAuthKit().UseRedisSessionStore(configure);
        return builder.Build();
    }

    [Fact]
    public async Task Options_bind_from_the_AuthKit_RedisStore_section()
    {
        var server = await RedisTestServer.GetSharedAsync();
        var prefix = RedisTestServer.UniquePrefix("ak-reg");
        using var host = BuildHost(new()
        {
            ["AuthKit:RedisStore:Configuration"] = server.ConnectionString,
            ["AuthKit:RedisStore:KeyPrefix"] = prefix,
            ["AuthKit:RedisStore:OperationTimeout"] = "00:00:07",
            ["AuthKit:RedisStore:IndexPruneInterval"] = "00:30:00",
            ["AuthKit:RedisStore:Durable"] = "true",
        });
        await host.StartAsync(Ct);
        var options = host.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value;
        Assert.Equal(prefix, options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(7), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromMinutes(30), options.IndexPruneInterval);

        var store = host.Services.GetRequiredService<ISessionStore>();
        Assert.IsType<RedisSessionStore>(store);
        Assert.Equal(StoreCapabilities.AtomicUpdate | StoreCapabilities.ExactUserIndex | StoreCapabilities.SharedAcrossProcesses | StoreCapabilities.Durable, store.Capabilities);

        var record = new SessionRecord { Key = SessionKey.FromSessionId(SessionIds.Create()), IdleExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5), AbsoluteExpiresAt = DateTimeOffset.UtcNow.AddHours(1) };
        Assert.True(await store.CreateAsync(record, Ct));
        Assert.True(await store.RemoveAsync(record.Key, Ct));
        await host.StopAsync(Ct);
    }

    [Fact]
    public void Not_durable_unless_configured()
    {
        var store = new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { Configuration = "127.0.0.1:1" }), TimeProvider.System);
        Assert.Equal(StoreCapabilities.AtomicUpdate | StoreCapabilities.ExactUserIndex | StoreCapabilities.SharedAcrossProcesses, store.Capabilities);
    }

    [Fact]
    public async Task Missing_configuration_without_a_multiplexer_stops_the_host_at_start_naming_the_setting()
    {
        using var host = BuildHost([]);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("AuthKit:RedisStore:Configuration", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IConnectionMultiplexer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_configuration_stops_the_host_at_start_without_echoing_it()
    {
        using var host = BuildHost(new() { ["AuthKit:RedisStore:Configuration"] = "127.0.0.1:6379,password=s3cret,connectTimeout=soon" });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("AuthKit:RedisStore:Configuration", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_timeout_in_configuration_stops_the_host()
    {
        using var host = BuildHost(new() { ["AuthKit:RedisStore:Configuration"] = "127.0.0.1:6379", ["AuthKit:RedisStore:OperationTimeout"] = "00:00:00" });
        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Ct));
    }

    [Fact]
    public async Task Multiplexer_from_services_is_used_and_not_closed_by_the_store()
    {
        var server = await RedisTestServer.GetSharedAsync();
        var connection = await server.ConnectAsync();
        try
        {
            var prefix = RedisTestServer.UniquePrefix("ak-reg");
            using (var host = BuildHost([], s => s.AddSingleton(connection), o => o.KeyPrefix = prefix))
            {
                await host.StartAsync(Ct);
                var store = host.Services.GetRequiredService<ISessionStore>();
                var record = new SessionRecord { Key = SessionKey.FromSessionId(SessionIds.Create("u")), UserId = "u", IdleExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5), AbsoluteExpiresAt = DateTimeOffset.UtcNow.AddHours(1) };
                Assert.True(await store.CreateAsync(record, Ct));
                Assert.True(await connection.GetDatabase().KeyExistsAsync(((RedisSessionStore)store).RecordKey(record.Key)));
                Assert.Equal(1, await store.RemoveByUserAsync("u", Ct));
                await host.StopAsync(Ct);
            }

            Assert.True(connection.IsConnected);
            Assert.Equal(RedisType.None, await connection.GetDatabase().KeyTypeAsync("ak-reg:absent"));
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public void Registering_twice_keeps_one_store_and_one_health_check()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthKit().UseRedisSessionStore(o => o.Configuration = "127.0.0.1:1");
        services.AddAuthKit().UseRedisSessionStore();
        services.AddHealthChecks();
        using var provider = services.BuildServiceProvider();
        Assert.Single(services, d => d.ServiceType == typeof(ISessionStore));
        Assert.Single(services, d => d.ServiceType == typeof(RedisSessionStore));
        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Single(registrations, r => r.Name == "authkit-redis");
    }

    [Fact]
    public async Task Health_check_reports_healthy_against_a_live_server_and_unhealthy_without_one()
    {
        var server = await RedisTestServer.GetSharedAsync();
        foreach (var (configuration, expected) in new[] { (server.ConnectionString, HealthStatus.Healthy), ("127.0.0.1:1", HealthStatus.Unhealthy) })
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddAuthKit().UseRedisSessionStore(o =>
            {
                o.Configuration = configuration;
                o.OperationTimeout = TimeSpan.FromSeconds(5);
                o.ConnectTimeout = TimeSpan.FromSeconds(1);
            });
            services.AddHealthChecks();
            await using var provider = services.BuildServiceProvider();
            var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
            Assert.Equal(expected, report.Entries["authkit-redis"].Status);
        }
    }

    [Fact]
    public void Option_setters_accept_anything_and_the_store_reports_every_problem_at_once()
    {
        var options = new RedisSessionStoreOptions
        {
            Configuration = "127.0.0.1:1",
            OperationTimeout = TimeSpan.Zero,
            IndexPruneInterval = TimeSpan.FromMilliseconds(10),
            IndexPruneBatchSize = 0,
            KeyPrefix = "shop:{x}:",
        };
        var ex = Assert.Throws<OptionsValidationException>(() => new RedisSessionStore(Options.Create(options), TimeProvider.System));
        Assert.Equal(4, ex.Failures.Count());
        foreach (var setting in new[] { "OperationTimeout", "IndexPruneInterval", "IndexPruneBatchSize", "KeyPrefix" })
        {
            Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:RedisStore:" + setting, StringComparison.Ordinal));
        }

        options = new RedisSessionStoreOptions { IndexPruneInterval = TimeSpan.Zero };
        Assert.Equal(TimeSpan.Zero, options.IndexPruneInterval);
    }

    [Fact]
    public async Task Bad_options_stop_the_host_at_start_naming_every_setting()
    {
        using var host = BuildHost(new()
        {
            ["AuthKit:RedisStore:Configuration"] = "127.0.0.1:1",
            ["AuthKit:RedisStore:ConnectTimeout"] = "00:00:00.001",
            ["AuthKit:RedisStore:IndexPruneBatchSize"] = "0",
        });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:RedisStore:ConnectTimeout", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AuthKit:RedisStore:IndexPruneBatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Default_key_prefix_carries_the_application_name()
    {
        using var host = BuildHost(new() { ["AuthKit:ApplicationName"] = "shop", ["AuthKit:RedisStore:Configuration"] = "127.0.0.1:1" });
        Assert.Equal("authkit:shop:", host.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value.KeyPrefix);
    }

    [Fact]
    public void Without_an_AuthKit_name_the_key_prefix_takes_the_hosts_application_name()
    {
        // Two apps that set no AuthKit:ApplicationName still get apart prefixes: each host's name (its assembly, by default).
        static IHost App(string name)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = name, Configuration = new ConfigurationManager() });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AuthKit:RedisStore:Configuration"] = "127.0.0.1:1" });
            builder.Services.AddAuthKit().UseRedisSessionStore();
            return builder.Build();
        }

        using var shop = App("Shop.Web");
        using var blog = App("Blog.Web");
        Assert.Equal("authkit:Shop.Web:", shop.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value.KeyPrefix);
        Assert.Equal("authkit:Blog.Web:", blog.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value.KeyPrefix);
        Assert.Equal("Shop.Web", shop.Services.GetRequiredService<IOptions<AuthKitOptions>>().Value.ApplicationName);
    }

    [Fact]
    public void An_AuthKit_name_in_configuration_wins_over_the_hosts_name()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Shop.Web", Configuration = new ConfigurationManager() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AuthKit:ApplicationName"] = "shop", ["AuthKit:RedisStore:Configuration"] = "127.0.0.1:1" });
        builder.Services.AddAuthKit().UseRedisSessionStore();
        using var host = builder.Build();
        Assert.Equal("authkit:shop:", host.Services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value.KeyPrefix);
    }

    [Fact]
    public async Task Two_apps_on_one_redis_with_default_settings_do_not_see_each_others_records()
    {
        var server = await RedisTestServer.GetSharedAsync();
        var suffix = Guid.NewGuid().ToString("N");
        using var shop = BuildHost(new() { ["AuthKit:ApplicationName"] = "shop-" + suffix, ["AuthKit:RedisStore:Configuration"] = server.ConnectionString });
        using var blog = BuildHost(new() { ["AuthKit:ApplicationName"] = "blog-" + suffix, ["AuthKit:RedisStore:Configuration"] = server.ConnectionString });
        await shop.StartAsync(Ct);
        await blog.StartAsync(Ct);
        var shopStore = shop.Services.GetRequiredService<ISessionStore>();
        var blogStore = blog.Services.GetRequiredService<ISessionStore>();

        var now = DateTimeOffset.UtcNow;
        SessionRecord NewRecord() => new()
        {
            Key = SessionKey.FromSessionId(SessionIds.Create("alice")),
            Kind = SessionRecordKind.RefreshToken,
            UserId = "alice",
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddMinutes(5),
            AbsoluteExpiresAt = now.AddHours(1),
        };
        var inShop = NewRecord();
        var inBlog = NewRecord();
        Assert.True(await shopStore.CreateAsync(inShop, Ct));
        Assert.True(await blogStore.CreateAsync(inBlog, Ct));

        // A refresh token (or session) of one app is unknown to the other, and "sign out everywhere" in one leaves the other alone.
        Assert.Null(await blogStore.GetAsync(inShop.Key, Ct));
        Assert.Equal([inBlog.Key], await ToKeysAsync(blogStore.ListByUserAsync("alice", Ct)));
        Assert.Equal(1, await blogStore.RemoveByUserAsync("alice", Ct));
        Assert.NotNull(await shopStore.GetAsync(inShop.Key, Ct));
        Assert.Equal(1, await shopStore.RemoveByUserAsync("alice", Ct));
        await shop.StopAsync(Ct);
        await blog.StopAsync(Ct);
    }

    private static async Task<List<SessionKey>> ToKeysAsync(IAsyncEnumerable<SessionRecord> records)
    {
        var keys = new List<SessionKey>();
        await foreach (var r in records)
        {
            keys.Add(r.Key);
        }

        return keys;
    }
}
