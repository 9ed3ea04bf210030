using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using AuthKit.Sessions.File;

namespace AuthKit.FileStore.Tests;

public sealed class FileSessionStoreRegistrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private static IHost BuildHost(Action<IServiceCollection> configure, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        configure(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task UseFileSessionStore_replaces_the_store_binds_configuration_and_is_harmless_twice()
    {
        using var host = BuildHost(
            s => s.AddAuthKit().UseFileSessionStore().UseFileSessionStore(),
            new()
            {
                ["AuthKit:FileStore:Directory"] = _directory.Path,
                ["AuthKit:FileStore:SweepInterval"] = "00:00:30",
                ["AuthKit:FileStore:LockTimeout"] = "00:00:02",
                ["AuthKit:FileStore:FlushToDisk"] = "true",
            });
        await host.StartAsync(Ct);

        var store = Assert.IsType<FileSessionStore>(host.Services.GetRequiredService<ISessionStore>());
        Assert.Equal(Path.GetFullPath(_directory.Path), store.Directory);
        var options = host.Services.GetRequiredService<IOptions<FileSessionStoreOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), options.SweepInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.LockTimeout);
        Assert.True(options.FlushToDisk);
        Assert.Single(host.Services.GetServices<IHostedService>(), h => h.GetType().Name == "FileSessionStoreSweeper");
        await host.StopAsync(Ct);
    }

    [Fact]
    public void Default_directory_is_under_local_application_data_named_by_the_application()
    {
        var services = new ServiceCollection();
        services.AddAuthKit(o => o.ApplicationName = "shop").UseFileSessionStore();
        using var provider = services.BuildServiceProvider();
        var directory = provider.GetRequiredService<IOptions<FileSessionStoreOptions>>().Value.Directory;
        Assert.EndsWith(Path.Combine("AuthKit", "shop", "sessions"), directory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_that_cannot_be_created_stops_the_host_at_start_naming_the_path_and_the_fix()
    {
        var blocker = Path.Combine(_directory.Path, "not-a-directory");
        Directory.CreateDirectory(_directory.Path);
        await System.IO.File.WriteAllTextAsync(blocker, "a file where the session directory should be", Ct);
        var wanted = Path.Combine(blocker, "sessions");

        using var host = BuildHost(s => s.AddAuthKit().UseFileSessionStore(o => o.Directory = wanted));
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains(wanted, ex.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:FileStore:Directory", ex.Message, StringComparison.Ordinal);
        Assert.Contains("write access", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosted_sweeper_removes_expired_records_every_interval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = BuildHost(s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddAuthKit().UseFileSessionStore(o =>
            {
                o.Directory = _directory.Path;
                o.SweepInterval = TimeSpan.FromMinutes(5);
            });
        });
        await host.StartAsync(Ct);
        var store = host.Services.GetRequiredService<ISessionStore>();
        var now = time.GetUtcNow();
        var record = new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            UserId = "alice",
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddMinutes(1),
            AbsoluteExpiresAt = now.AddHours(1),
        };
        Assert.True(await store.CreateAsync(record, Ct));
        var path = FileStoreFactory.RecordPath(_directory.Path, record.Key);

        time.Advance(TimeSpan.FromMinutes(2)); // expired, but no sweep is due yet
        Assert.True(System.IO.File.Exists(path));
        time.Advance(TimeSpan.FromMinutes(3));

        // The sweeper's timer is created on the host's background task, possibly after this point: keep moving the fake
        // clock one interval at a time until its sweep has run.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var users = Path.Combine(_directory.Path, "users");
        while (System.IO.File.Exists(path) || Directory.EnumerateFileSystemEntries(users).Any())
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(20, deadline.Token);
        }
        await host.StopAsync(Ct);
    }
}
