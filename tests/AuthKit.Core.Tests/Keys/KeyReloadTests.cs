using AuthKit.Internal.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Core.Tests.Keys;

/// <summary>Rotation without a restart: the cookie key ring follows <c>AuthKit:Keys</c> when the configuration reloads, and refuses bad reloads whole.</summary>
public sealed class KeyReloadTests
{
    private static readonly string SecretA = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly string SecretB = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());

    private sealed class Source : IConfigurationSource, IDisposable
    {
        public Provider Provider { get; } = new();

        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;

        public void Dispose()
        {
        }
    }

    private sealed class Provider : ConfigurationProvider
    {
        public void Replace(Dictionary<string, string?> values)
        {
            Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }

    private static (ServiceProvider Services, Provider Config, ListLogger Log) Host(Dictionary<string, string?> initial)
    {
        using var source = new Source();
        source.Provider.Replace(initial);
        var configuration = new ConfigurationBuilder().Add(source).Build();
        var log = new ListLogger();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddProvider(log));
        services.AddAuthKit(o => o.ApplicationName = "reload-tests");
        return (services.BuildServiceProvider(), source.Provider, log);
    }

    private static Dictionary<string, string?> Keys(params (string Id, string Secret)[] keys)
    {
        var d = new Dictionary<string, string?>();
        for (var i = 0; i < keys.Length; i++)
        {
            d[$"AuthKit:Keys:{i}:KeyId"] = keys[i].Id;
            d[$"AuthKit:Keys:{i}:Secret"] = keys[i].Secret;
        }

        return d;
    }

    [Fact]
    public void A_reloaded_key_verifies_at_once_and_signs_only_when_configured_active()
    {
        var (sp, config, log) = Host(Keys(("a", SecretA)));
        using var host = sp;
        var ring = sp.GetRequiredService<IAuthKitKeyRing>();
        var cookies = ring.ForPurpose("cookies");
        var data = "session-id"u8.ToArray();
        var macA = cookies.ActiveKey.ComputeMac(data);

        config.Replace(Keys(("a", SecretA), ("b", SecretB)));
        Assert.Equal("a", ring.ActiveKey.KeyId);
        Assert.True(cookies.TryGetKey("b", out _));

        var active = Keys(("a", SecretA), ("b", SecretB));
        active["AuthKit:ActiveKeyId"] = "b";
        config.Replace(active);
        Assert.Equal("b", ring.ActiveKey.KeyId);
        Assert.Equal("b", cookies.ActiveKey.KeyId);
        Assert.True(cookies.TryGetKey("a", out var a) && a.VerifyMac(data, macA));

        // Removed from configuration: values it signed no longer verify.
        config.Replace(Keys(("b", SecretB)));
        Assert.False(cookies.TryGetKey("a", out _));
        Assert.Contains(log.Lines, l => l.Contains("AuthKit key ring reloaded from configuration: keys b; b signs.", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_reload_is_refused_whole_and_logged_and_the_previous_ring_stays()
    {
        var (sp, config, log) = Host(Keys(("a", SecretA), ("b", SecretB)));
        using var host = sp;
        var ring = sp.GetRequiredService<IAuthKitKeyRing>().ForPurpose("cookies");

        var bad = Keys(("a", SecretA), ("c", "not-base64!"));
        bad["AuthKit:ActiveKeyId"] = "c";
        config.Replace(bad);

        Assert.Equal("a", ring.ActiveKey.KeyId);
        Assert.True(ring.TryGetKey("b", out _));
        Assert.False(ring.TryGetKey("c", out _));
        var line = Assert.Single(log.Lines, l => l.Contains("refused the reloaded key configuration", StringComparison.Ordinal));
        Assert.Contains("AuthKit:Keys:1:Secret", line, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretA, string.Join("\n", log.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_that_vanish_on_reload_are_refused_rather_than_replaced_by_generated_ones()
    {
        var (sp, config, log) = Host(Keys(("a", SecretA)));
        using var host = sp;
        var ring = sp.GetRequiredService<IAuthKitKeyRing>();

        // A JSON file that no longer parses reloads as an empty section.
        config.Replace([]);

        Assert.Equal("a", ring.ActiveKey.KeyId);
        Assert.Contains(log.Lines, l => l.Contains("AuthKit:Keys is now empty", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_ring_is_the_reloading_one()
    {
        var (sp, _, _) = Host(Keys(("a", SecretA)));
        using var __ = sp;
        Assert.IsType<ConfiguredKeyRing>(sp.GetRequiredService<IAuthKitKeyRing>());
    }

    private sealed class ListLogger : ILoggerProvider
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(ListLogger owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Lines)
                {
                    owner.Lines.Add(formatter(state, exception));
                }
            }
        }
    }
}
