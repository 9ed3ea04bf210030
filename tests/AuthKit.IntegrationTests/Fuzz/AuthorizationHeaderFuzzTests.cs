#if AUTHKIT_FUZZ
using System.Buffers.Text;
using System.Net;
using Microsoft.Extensions.Primitives;

namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>
/// DESIGN.md, "Reliability and security targets": malformed <c>Authorization</c> headers (Basic and Bearer, bad base64, bad
/// UTF-8, hostile JSON, oversized values, unknown schemes, several headers) end as 400/401 with a log line, never a 500, and the
/// real credentials keep working afterwards.
/// </summary>
public sealed class AuthorizationHeaderFuzzTests
{
    private const int Seed = 7617_7519;
    private const int Inputs = 2000;

    [Fact]
    public async Task Hostile_authorization_headers_never_give_a_5xx_never_authenticate_and_leave_real_credentials_working()
    {
        // Basic throttling is off in this host (FuzzHost): every input reaches the parser and the validator, and a 429 never hides a result.
        await using var host = await FuzzHost.StartAsync();
        var token = await host.IssueTokenAsync();
        var cookie = await host.SignInAsync();
        var inputs = FuzzInputs.Authorizations(new Random(Seed), token, Inputs).ToList();

        var report = await FuzzRunner.RunAsync(host, inputs);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
        report.AssertClean();
        report.AssertCovered(
            "basic-bad-base64 400", "basic-no-colon 400", "basic-huge 400", "basic-control-chars 400", "basic-not-utf8 400", "basic-random-bytes 400",
            "basic-wrong 401", "basic-shape 400", "basic-valid-variant", "basic-valid 200", "bearer-mutated 401", "bearer-truncated 401",
            "bearer-garbage-segments 401", "bearer-signed-weird-json 401", "bearer-huge 401", "bearer-shape 400", "bearer-valid-variant", "bearer-valid 200",
            "unknown-scheme 401", "multiple-authorization 401", "bearer-control-chars", "basic-as-bearer 401");

        // Malformed Basic (6004), wrong Basic (6003), refused token (7001) and malformed Bearer request (7003) all left their lines.
        var events = host.Logs.Entries.Select(e => e.EventId).ToHashSet();
        Assert.Superset(new HashSet<int> { 6003, 6004, 7001, 7003 }, events);
        foreach (var valid in new[] { "Bearer " + token, "Basic " + FuzzHost.ValidBasicToken(), "Basic " + FuzzHost.ValidBasicToken(FuzzHost.SecondUserName) })
        {
            var response = await host.SendAsync(FuzzHost.ProtectedPath, new FuzzInput("valid-after-fuzz", null, valid, true, Expect.Authenticated));
            Assert.Equal(200, response.Status);
            Assert.StartsWith("user=", response.Body, StringComparison.Ordinal);
        }

        await SessionCookieFuzzTests.AssertSessionStillWorksAsync(host, cookie);
        FuzzRunner.AssertSecretsNotLogged(host.Logs, token, token.Split('.')[2], FuzzHost.Password, FuzzHost.ValidBasicToken(),
            FuzzHost.ValidBasicToken(FuzzHost.SecondUserName), cookie, cookie.Split('~')[0],
            Convert.ToBase64String(FuzzHost.JwtKeySecret), Base64Url.EncodeToString(FuzzHost.JwtKeySecret));
    }

    [Fact]
    public async Task With_throttling_on_a_credential_storm_is_answered_401_or_429_and_other_users_and_cached_credentials_still_work()
    {
        // The default throttle (10 failures per user, 50 per client address in 5 minutes), a storm of wrong passwords for alice and
        // for random users from 64 addresses. A 429 is legitimate here; a 5xx never is. bob signs in from a fresh address afterwards.
        await using var host = await FuzzHost.StartAsync(configureThrottle: o =>
        {
            o.MaxFailuresPerUser = 10;
            o.MaxFailuresPerClient = 50;
        });
        var validAlice = "Basic " + FuzzHost.ValidBasicToken();
        var aliceClient = IPAddress.Parse("10.0.1.1");
        var cached = await host.SendAsync(FuzzHost.ProtectedPath, new FuzzInput("valid", null, validAlice, true, Expect.Authenticated) { RemoteAddress = aliceClient });
        Assert.Equal(200, cached.Status);

        var random = new Random(Seed);
        var storm = Enumerable.Range(0, 1500).Select(i =>
        {
            var user = random.Next(3) == 0 ? FuzzHost.UserName : "user" + random.Next(500);
            var header = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + FuzzInputs.Mutate(random, FuzzHost.Password)));
            return new FuzzInput("basic-storm", null, header, true, Expect.Refused) { RemoteAddress = IPAddress.Parse("10.0.0." + (i % 64)), ReachesAuthKitParser = true };
        }).ToList();

        var report = await FuzzRunner.RunAsync(host, storm);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
        report.AssertClean();
        Assert.Contains("basic-storm protected 429", report.Summary(), StringComparison.Ordinal);

        // alice signed in from 10.0.1.1 before the storm: it is one of her known clients, which strangers' failures do not lock out.
        var alice = await host.SendAsync(FuzzHost.ProtectedPath, new FuzzInput("valid", null, validAlice, true, Expect.Authenticated) { RemoteAddress = aliceClient });
        Assert.Equal((200, "user=" + FuzzHost.UserName), (alice.Status, alice.Body));
        var bob = await host.SendAsync(FuzzHost.ProtectedPath, new FuzzInput("valid", null, new StringValues("Basic " + FuzzHost.ValidBasicToken(FuzzHost.SecondUserName)), true, Expect.Authenticated) { RemoteAddress = IPAddress.Parse("10.0.1.2") });
        Assert.Equal((200, "user=" + FuzzHost.SecondUserName), (bob.Status, bob.Body));
        FuzzRunner.AssertSecretsNotLogged(host.Logs, FuzzHost.Password, FuzzHost.ValidBasicToken(), FuzzHost.ValidBasicToken(FuzzHost.SecondUserName));
    }
}
#endif
