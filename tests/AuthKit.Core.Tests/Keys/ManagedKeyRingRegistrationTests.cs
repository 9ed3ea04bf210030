using System.Diagnostics.Metrics;
using AuthKit.Internal.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthKit.Core.Tests.Keys;

/// <summary><c>UseManagedKeys()</c> in a container: the app's key ring is the managed one, read before the app serves.</summary>
public sealed class ManagedKeyRingRegistrationTests
{
    private static readonly string Configured = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Action<ManagedKeyRingOptions>? configure = null, MemorySessionStore? store = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (store is not null)
        {
            services.AddSingleton<ISessionStore>(store);
        }

        services.AddAuthKit(o =>
        {
            o.ApplicationName = "managed-tests";
            o.Keys.Add(new AuthKitKeyOptions { KeyId = "configured", Secret = Configured });
        }).UseManagedKeys(configure);
        return services.BuildServiceProvider();
    }

    private static async Task StartAsync(ServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Ct);
        }
    }

    private static async Task StopAsync(ServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Managed_keys_sign_cookies_and_configured_keys_only_verify()
    {
        await using var services = Build();
        var events = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "authkit.keys.events")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (events)
            {
                events.Add(string.Join(",", tags.ToArray().Select(t => t.Value)));
            }
        });
        listener.Start();
        await StartAsync(services);
        try
        {
            var ring = services.GetRequiredService<IAuthKitKeyRing>().ForPurpose("cookies");
            Assert.IsType<ManagedHmacKeyRing>(services.GetRequiredService<IAuthKitKeyRing>());
            Assert.StartsWith("m", ring.ActiveKey.KeyId, StringComparison.Ordinal);
            Assert.True(ring.TryGetKey("configured", out _));
            Assert.Equal(2, ring.Keys.Count);
            lock (events)
            {
                Assert.Contains("cookies,created", events);
                Assert.Contains("cookies,activated", events);
            }
        }
        finally
        {
            await StopAsync(services);
        }
    }

    [Fact]
    public async Task Another_instance_on_the_same_store_signs_with_the_same_key()
    {
        var store = new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), TimeProvider.System);
        await using var a = Build(store: store);
        await using var b = Build(store: store);
        await StartAsync(a);
        await StartAsync(b);
        try
        {
            var ringA = a.GetRequiredService<IAuthKitKeyRing>().ForPurpose("cookies");
            var ringB = b.GetRequiredService<IAuthKitKeyRing>().ForPurpose("cookies");
            Assert.Equal(ringA.ActiveKey.KeyId, ringB.ActiveKey.KeyId);
            var data = "session"u8.ToArray();
            Assert.True(ringB.ActiveKey.VerifyMac(data, ringA.ActiveKey.ComputeMac(data)));
        }
        finally
        {
            await StopAsync(a);
            await StopAsync(b);
        }
    }

    [Fact]
    public async Task A_key_encryption_key_that_does_not_open_the_ring_stops_the_start_naming_the_setting()
    {
        var store = new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), TimeProvider.System);
        await using var first = Build(o => o.KeyEncryptionKey = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray()), store);
        await StartAsync(first);
        await StopAsync(first);

        await using var second = Build(o => o.KeyEncryptionKey = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray()), store);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(second));
        Assert.Contains("AuthKit:ManagedKeys:KeyEncryptionKey", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:05:00", "00:05:00", "90.00:00:00", null, "PropagationDelay")]
    [InlineData("00:05:00", "01:00:00", "00:30:00", null, "KeyLifetime")]
    [InlineData("00:05:00", "01:00:00", "90.00:00:00", "c2hvcnQ=", "KeyEncryptionKey")]
    public void Timings_that_cannot_work_stop_the_start_naming_the_setting(string refresh, string propagation, string lifetime, string? kek, string setting)
    {
        using var services = Build(o =>
        {
            o.RefreshInterval = TimeSpan.Parse(refresh, System.Globalization.CultureInfo.InvariantCulture);
            o.PropagationDelay = TimeSpan.Parse(propagation, System.Globalization.CultureInfo.InvariantCulture);
            o.KeyLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture);
            o.KeyEncryptionKey = kek;
        });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ManagedKeyRingOptions>>().Value);
        Assert.Contains("AuthKit:ManagedKeys:" + setting, ex.Message, StringComparison.Ordinal);
    }
}
