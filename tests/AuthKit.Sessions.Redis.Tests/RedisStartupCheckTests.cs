using System.Collections.Concurrent;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>A shared store is checked at start-up: a Redis that does not answer is a warning naming the setting, not a silent start.</summary>
public sealed class RedisStartupCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost BuildHost(string configuration, Logs logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Configuration = new ConfigurationManager() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuthKit:ApplicationName"] = "startup-check",
            ["AuthKit:RedisStore:Configuration"] = configuration,
            ["AuthKit:RedisStore:ConnectTimeout"] = "00:00:00.5",
            ["AuthKit:RedisStore:OperationTimeout"] = "00:00:01",
        });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddAuthKit().UseRedisSessionStore();
        return builder.Build();
    }

    [Fact]
    public async Task A_Redis_that_refuses_connections_is_a_warning_naming_the_setting_and_the_host_still_starts()
    {
        var logs = new Logs();
        using var host = BuildHost("127.0.0.1:1,password=hunter2-secret", logs);

        await host.StartAsync(Ct);   // never fails: the store may come up later
        await host.StopAsync(Ct);

        var warning = Assert.Single(logs.Entries, e => e.Id == 1106);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("AuthKit:RedisStore:Configuration (127.0.0.1:1)", warning.Message, StringComparison.Ordinal);
        Assert.Contains("RedisSessionStore does not answer at start-up", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Redis_that_answers_is_logged_once_as_reached()
    {
        var server = await RedisTestServer.GetSharedAsync();
        var logs = new Logs();
        using var host = BuildHost(server.ConnectionString, logs);

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);

        Assert.Single(logs.Entries, e => e.Id == 1105 && e.Message.Contains("RedisSessionStore answered at start-up", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Id == 1106);
    }

    private sealed class Logs : ILoggerProvider
    {
        public ConcurrentQueue<(int Id, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(Logs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
        }
    }
}
