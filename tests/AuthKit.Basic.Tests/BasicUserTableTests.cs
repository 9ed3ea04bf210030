using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Tests;

public sealed class BasicUserTableTests
{
    [Fact]
    public async Task Users_bind_from_AuthKit_Basic_Users_with_hashed_passwords()
    {
        var hasher = new CountingPasswordHasher();
        var config = new Dictionary<string, string?>
        {
            ["AuthKit:Basic:Users:alice"] = hasher.HashPassword("correct horse"),
            ["AuthKit:Basic:Realm"] = "Config realm",
        };
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasicUsers(), s => s.AddSingleton<IAuthKitPasswordHasher>(hasher), config);

        var ok = await host.SendAsync(BasicTestHost.Basic("alice", "correct horse"));
        Assert.Equal(200, ok.Response.StatusCode);
        Assert.Equal("hello alice", BasicTestHost.Body(ok));

        var wrong = await host.SendAsync(BasicTestHost.Basic("alice", "Correct horse"));
        Assert.Equal(401, wrong.Response.StatusCode);
        Assert.Equal("Basic realm=\"Config realm\", charset=\"UTF-8\"", wrong.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unknown_user_costs_a_hash_like_a_known_one()
    {
        var hasher = new CountingPasswordHasher();
        var hash = hasher.HashPassword("correct horse");
        await using var host = await BasicTestHost.StartAsync(b => b.AddBasicUsers(u => u.Users["alice"] = hash), s => s.AddSingleton<IAuthKitPasswordHasher>(hasher));
        Assert.Equal(401, (await host.SendAsync(BasicTestHost.Basic("nobody", "correct horse"))).Response.StatusCode);
        Assert.Equal(1, hasher.Verifications);
    }

    [Fact]
    public async Task A_plain_password_in_the_user_table_stops_the_host_at_start()
    {
        var config = new Dictionary<string, string?> { ["AuthKit:Basic:Users:alice"] = "hunter2" };
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BasicTestHost.StartAsync(b => b.AddBasicUsers(), configuration: config));
        Assert.Contains("AuthKit:Basic:Users:alice is not a password hash", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_name_with_a_colon_stops_the_host_at_start()
    {
        var hash = new CountingPasswordHasher().HashPassword("x");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BasicTestHost.StartAsync(b => b.AddBasicUsers(u => u.Users["a:b"] = hash)));
        Assert.Contains("a:b", ex.Message, StringComparison.Ordinal);
    }
}
