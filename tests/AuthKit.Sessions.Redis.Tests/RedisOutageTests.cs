using System.Diagnostics;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>A store whose Redis goes away fails fast with <see cref="SessionStoreException"/> and recovers by itself when it returns.</summary>
public sealed class RedisOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SessionRecord NewRecord() => new()
    {
        Key = SessionKey.FromSessionId(SessionIds.Create()),
        UserId = "alice",
        IdleExpiresAt = DateTimeOffset.UtcNow.AddMinutes(20),
        AbsoluteExpiresAt = DateTimeOffset.UtcNow.AddHours(8),
    };

    [Fact]
    public async Task Stopped_server_gives_SessionStoreException_and_the_same_store_recovers_after_restart()
    {
        await using var server = await RedisTestServer.StartDedicatedAsync();
        var options = Options.Create(new RedisSessionStoreOptions { Configuration = server.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(1) });
        await using var store = new RedisSessionStore(options, TimeProvider.System);
        var record = NewRecord();
        Assert.True(await store.CreateAsync(record, Ct));

        await server.StopAsync();
        var operations = new Func<Task>[]
        {
            async () => await store.GetAsync(record.Key, Ct),
            async () => await store.CreateAsync(NewRecord(), Ct),
            async () => await store.UpdateAsync(record, 1, Ct),
            async () => await store.RemoveAsync(record.Key, Ct),
            async () => await store.RemoveByUserAsync("alice", Ct),
            async () => { await foreach (var _ in store.ListByUserAsync("alice", Ct)) { } },
        };
        foreach (var operation in operations)
        {
            // The bound is far above the 1 s operation timeout: it only catches a hang, it does not time the store.
            var ex = await Assert.ThrowsAsync<SessionStoreException>(() => operation().WaitAsync(TimeSpan.FromSeconds(30), Ct));
            Assert.NotNull(ex.InnerException);
        }

        await server.StartAsync();
        var again = NewRecord();
        await EventuallyAsync(async () => await store.CreateAsync(again, Ct));
        Assert.NotNull(await store.GetAsync(again.Key, Ct));
        Assert.Null(await store.GetAsync(record.Key, Ct)); // the restarted server kept no data (--save '')
    }

    [Fact]
    public async Task Store_created_while_the_server_is_down_connects_once_it_is_up()
    {
        await using var server = await RedisTestServer.StartDedicatedAsync();
        await server.StopAsync();
        var options = Options.Create(new RedisSessionStoreOptions { Configuration = server.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromMilliseconds(500) });
        await using var store = new RedisSessionStore(options, TimeProvider.System);
        await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(NewRecord().Key, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));

        await server.StartAsync();
        var record = NewRecord();
        await EventuallyAsync(async () => await store.CreateAsync(record, Ct));
        Assert.NotNull(await store.GetAsync(record.Key, Ct));
    }

    [Fact]
    public async Task First_failure_is_a_warning_and_repeats_within_the_interval_are_debug_with_no_connection_secret()
    {
        var logger = new CapturingLogger();
        var options = Options.Create(new RedisSessionStoreOptions
        {
            Configuration = "127.0.0.1:1,password=hunter2-secret",
            OperationTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromMilliseconds(200),
        });
        await using var store = new RedisSessionStore(options, TimeProvider.System, connection: null, logger);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(NewRecord().Key, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
        }

        var failures = logger.Entries.Where(e => e.EventId.Id is 5001 or 5002).ToList();
        Assert.Equal([(LogLevel.Warning, 5001), (LogLevel.Debug, 5002), (LogLevel.Debug, 5002)], failures.Select(e => (e.Level, e.EventId.Id)));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    private sealed class CapturingLogger : ILogger<RedisSessionStore>
    {
        public List<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId, formatter(state, exception) + " " + exception));
            }
        }
    }

    /// <summary>Retries until <paramref name="action"/> succeeds (store errors while the client reconnects), for at most a minute.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> action)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Assert.True(await action());
                return;
            }
            catch (SessionStoreException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}
