using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthKit.Core.Tests;

public sealed class KeyRingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "authkit-keyring-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string Secret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static IAuthKitKeyRing Build(Action<AuthKitOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthKit(configure);
        return services.BuildServiceProvider().GetRequiredService<IAuthKitKeyRing>();
    }

    [Fact]
    public void Configured_keys_sign_with_the_active_key_and_verify_with_any()
    {
        var (s1, s2) = (Secret(), Secret());
        var ring = Build(o =>
        {
            o.Keys.Add(new AuthKitKeyOptions { KeyId = "old", Secret = s1 });
            o.Keys.Add(new AuthKitKeyOptions { KeyId = "new", Secret = s2 });
            o.ActiveKeyId = "new";
        });
        Assert.Equal("new", ring.ActiveKey.KeyId);
        Assert.Equal(["new", "old"], ring.Keys.Select(k => k.KeyId));

        var data = "payload"u8.ToArray();
        var macOld = ring.Keys[1].ComputeMac(data);
        Assert.True(ring.TryGetKey("old", out var old));
        Assert.True(old.VerifyMac(data, macOld));
        Assert.False(ring.ActiveKey.VerifyMac(data, macOld));
        Assert.False(old.VerifyMac("payloaD"u8, macOld));
        Assert.False(old.VerifyMac(data, macOld.AsSpan(0, 31)));
        Assert.False(ring.TryGetKey("missing", out _));
    }

    [Fact]
    public void Purpose_keys_differ_from_each_other_and_from_the_root_key()
    {
        var ring = Build(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "k1", Secret = Secret() }));
        var data = "x"u8.ToArray();
        var root = ring.ActiveKey.ComputeMac(data);
        var cookies = ring.ForPurpose("cookies").ActiveKey.ComputeMac(data);
        var basic = ring.ForPurpose("basic").ActiveKey.ComputeMac(data);
        Assert.NotEqual(root, cookies);
        Assert.NotEqual(cookies, basic);
        Assert.Equal(cookies, ring.ForPurpose("cookies").ActiveKey.ComputeMac(data));
        Assert.Same(ring.ForPurpose("cookies"), ring.ForPurpose("cookies"));
        Assert.Equal("k1", ring.ForPurpose("cookies").ActiveKey.KeyId);
    }

    [Fact]
    public void Without_configured_keys_a_key_file_is_generated_with_owner_only_permissions_and_reused()
    {
        var file = Path.Combine(_dir, "sub", "keys.json");
        var first = Build(o => o.KeyFile = file);
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var second = Build(o => o.KeyFile = file);
        var data = Encoding.UTF8.GetBytes("same key across restarts and instances");
        Assert.Equal(first.ActiveKey.KeyId, second.ActiveKey.KeyId);
        Assert.Equal(first.ActiveKey.ComputeMac(data), second.ActiveKey.ComputeMac(data));
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(first.ActiveKey.KeyId, doc.RootElement.GetProperty("activeKeyId").GetString());
    }

    [Fact]
    public void A_damaged_key_file_is_a_clear_error_naming_the_file()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "keys.json");
        File.WriteAllText(file, "{ not json");
        var ex = Assert.Throws<InvalidOperationException>(() => Build(o => o.KeyFile = file));
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:Keys", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad id!", "c2hvcnQ=", "AuthKit:Keys:0:KeyId")]
    [InlineData("k1", "c2hvcnQ=", "AuthKit:Keys:0:Secret")]
    [InlineData("k1", "not base64 at all", "AuthKit:Keys:0:Secret")]
    public async Task Invalid_configured_keys_stop_the_host_at_start_naming_the_setting(string id, string secret, string setting)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuthKit:Keys:0:KeyId"] = id,
            ["AuthKit:Keys:0:Secret"] = secret,
        });
        builder.Services.AddAuthKit();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Active_key_id_that_names_no_key_stops_the_host()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAuthKit(o =>
        {
            o.Keys.Add(new AuthKitKeyOptions { KeyId = "k1", Secret = Secret() });
            o.ActiveKeyId = "k2";
        });
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("AuthKit:ActiveKeyId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_bind_from_configuration()
    {
        var secret = Secret();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuthKit:ApplicationName"] = "shop",
            ["AuthKit:Keys:0:KeyId"] = "cfg",
            ["AuthKit:Keys:0:Secret"] = secret,
        }).Build());
        services.AddAuthKit();
        using var sp = services.BuildServiceProvider();
        Assert.Equal("shop", sp.GetRequiredService<IOptions<AuthKitOptions>>().Value.ApplicationName);
        Assert.Equal("cfg", sp.GetRequiredService<IAuthKitKeyRing>().ActiveKey.KeyId);
    }

    [Fact]
    public async Task Mac_matches_the_platform_hmac_across_threads()
    {
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var key = new AuthKitKey("k", secret);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (var n = 0; n < 500; n++)
            {
                var data = Encoding.UTF8.GetBytes($"thread {i} message {n}");
                if (!key.ComputeMac(data).AsSpan().SequenceEqual(System.Security.Cryptography.HMACSHA256.HashData(secret, data)))
                {
                    return false;
                }
            }

            return true;
        })));
        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Keys_shorter_than_32_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new AuthKitKey("k", new byte[31]));
        Assert.Throws<ArgumentException>(() => new AuthKitKey("", new byte[32]));
        Assert.Throws<ArgumentException>(() => new AuthKitKeyRing([]));
        var k = new AuthKitKey("k", new byte[32]);
        Assert.Throws<ArgumentException>(() => new AuthKitKeyRing([k, new AuthKitKey("k", new byte[32])]));
        Assert.DoesNotContain("0000", k.ToString(), StringComparison.Ordinal);
    }
}
