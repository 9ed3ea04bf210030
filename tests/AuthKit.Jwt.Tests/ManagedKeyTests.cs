using System.Net;
using System.Text.Json;

namespace AuthKit.Jwt.Tests;

/// <summary>
/// A JWT scheme without configured keys signs with the managed ring: a new key is in the JWKS a propagation delay before it signs,
/// <c>kid</c> selects the key, the JWKS cache lifetime stays below the delay, and HMAC keys are never published.
/// </summary>
public sealed class ManagedKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Managed(string? algorithm = null)
    {
        var d = new Dictionary<string, string?>
        {
            ["AuthKit:ManagedKeys:Enabled"] = "true",
            ["AuthKit:Jwt:Issuer"] = JwtTestKeys.Issuer,
            ["AuthKit:Jwt:Audience"] = JwtTestKeys.Audience,
        };
        if (algorithm is not null)
        {
            d["AuthKit:Jwt:ManagedKeyAlgorithm"] = algorithm;
        }

        return d;
    }

    private static string Kid(string token)
    {
        var header = token[..token.IndexOf('.', StringComparison.Ordinal)];
        using var doc = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(header));
        return doc.RootElement.GetProperty("kid").GetString()!;
    }

    private static async Task<(List<string> Kids, string CacheControl)> JwksAsync(JwtTestHost host)
    {
        using var response = await host.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var kids = doc.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();
        return (kids, response.Headers.CacheControl!.ToString());
    }

    private static async Task<List<string>> WaitForKidsAsync(JwtTestHost host, int count)
    {
        // The ring service refreshes on its own task once the fake clock passes its timer: wait for it, bounded.
        for (var i = 0; i < 200; i++)
        {
            var (kids, _) = await JwksAsync(host);
            if (kids.Count == count)
            {
                return kids;
            }

            await Task.Delay(50, Ct);
        }

        throw new Xunit.Sdk.XunitException($"The JWKS never held {count} keys.");
    }

    [Fact]
    public async Task A_new_key_is_published_a_propagation_delay_before_it_signs_and_old_tokens_keep_validating()
    {
        await using var host = await JwtTestHost.StartAsync(defaults: false, configuration: Managed());
        var (kids, cache) = await JwksAsync(host);
        var first = Assert.Single(kids);
        Assert.Equal("public, max-age=1650", cache); // (1 h propagation - 5 min refresh) / 2
        var token = await host.IssueAsync();
        Assert.Equal(first, Kid(token));

        // Due: the successor is announced (published, verifying) but the first key still signs.
        var options = new ManagedKeyRingOptions();
        host.Time.Advance(options.KeyLifetime - options.PropagationDelay);
        kids = await WaitForKidsAsync(host, 2);
        var second = Assert.Single(kids, k => k != first);
        var during = await host.IssueAsync();
        Assert.Equal(first, Kid(during));
        using (var ok = await host.GetAsync("/bearer", ("Authorization", "Bearer " + during)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // Activated: new tokens carry the second key; a token of the first (still within its lifetime) validates.
        host.Time.Advance(options.PropagationDelay - TimeSpan.FromMinutes(1));
        var late = await host.IssueAsync();
        Assert.Equal(first, Kid(late));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var after = await host.IssueAsync();
        Assert.Equal(second, Kid(after));
        using (var okNew = await host.GetAsync("/bearer", ("Authorization", "Bearer " + after)))
        {
            Assert.Equal(HttpStatusCode.OK, okNew.StatusCode);
        }

        using (var okOld = await host.GetAsync("/bearer", ("Authorization", "Bearer " + late)))
        {
            Assert.Equal(HttpStatusCode.OK, okOld.StatusCode);
        }
    }

    [Fact]
    public async Task Managed_HMAC_keys_sign_and_are_never_published()
    {
        await using var host = await JwtTestHost.StartAsync(defaults: false, configuration: Managed("HS256"));
        var (kids, _) = await JwksAsync(host);
        Assert.Empty(kids);
        var token = await host.IssueAsync();
        Assert.StartsWith("m", Kid(token), StringComparison.Ordinal);
        using var ok = await host.GetAsync("/bearer", ("Authorization", "Bearer " + token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Configured_keys_win_over_managed_ones()
    {
        await using var host = await JwtTestHost.StartAsync(configuration: Managed());
        var token = await host.IssueAsync();
        Assert.DoesNotContain(Kid(token), (await JwksAsync(host)).Kids.Where(k => k.StartsWith('m')));
        Assert.False(Kid(token).StartsWith('m'));
    }

    [Fact]
    public async Task An_unsupported_managed_algorithm_stops_the_start_naming_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await JwtTestHost.StartAsync(defaults: false, configuration: Managed("none"));
        });
        Assert.Contains("AuthKit:Jwt:ManagedKeyAlgorithm 'none' is not supported", ex.ToString(), StringComparison.Ordinal);
    }
}
