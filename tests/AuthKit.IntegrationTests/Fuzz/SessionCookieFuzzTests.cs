#if AUTHKIT_FUZZ
using System.Buffers.Text;

namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>
/// DESIGN.md, "Reliability and security targets": malformed session cookies end as "not authenticated" (401 on a protected
/// endpoint, an anonymous session on an open one) with a log line, never a 500, and the real session keeps working.
/// </summary>
public sealed class SessionCookieFuzzTests
{
    private const int Seed = 20261128;
    private const int Inputs = 1500;

    [Fact]
    public async Task Hostile_session_cookies_never_give_a_5xx_never_authenticate_and_leave_the_real_session_working()
    {
        await using var host = await FuzzHost.StartAsync();
        var real = new RealCookies(await host.SignedOutCookieAsync(), await host.AnonymousCookieAsync());
        var cookie = await host.SignInAsync();
        var inputs = FuzzInputs.Cookies(new Random(Seed), cookie, Inputs, real).ToList();

        var report = await FuzzRunner.RunAsync(host, inputs);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
        report.AssertClean();
        report.AssertCovered(
            "cookie-mutated 401", "cookie-mutated-twice 401", "cookie-truncated 401", "cookie-extended 401", "cookie-oversized 401",
            "cookie-many 401", "cookie-many 200", "cookie-chunks 401", "cookie-non-ascii 401", "cookie-empty 401", "cookie-other-name 401",
            "cookie-unsigned-id 401", "cookie-fresh-id 401", "cookie-kid 401", "cookie-garbage-header 401", "cookie-encoded", "cookie-valid 200",
            "cookie-signed-out 401", "cookie-anonymous-session 401");

        // Refused cookies are logged as SessionCookieRefused (3002), and each refused request's own lines were checked above.
        Assert.Contains(host.Logs.Entries, e => e.EventId == 3002 && e.Category == "AuthKit.Sessions");
        await AssertSessionStillWorksAsync(host, cookie);
        FuzzRunner.AssertSecretsNotLogged(host.Logs, cookie, cookie.Split('~')[0], FuzzHost.Password,
            Convert.ToBase64String(FuzzHost.CookieKeySecret), Base64Url.EncodeToString(FuzzHost.CookieKeySecret));
    }

    [Fact]
    public async Task Hostile_cookies_and_authorization_headers_together_never_give_a_5xx_and_the_header_or_else_the_cookie_decides()
    {
        // These inputs come over plain HTTP from an in-process server (no remote address): Basic takes them through the host's
        // AuthKit:AllowInsecureHttp, the one opt-in for cookies and Basic.
        await using var host = await FuzzHost.StartAsync();
        var real = new RealCookies(await host.SignedOutCookieAsync(), await host.AnonymousCookieAsync());
        var cookie = await host.SignInAsync();
        var token = await host.IssueTokenAsync();
        var inputs = FuzzInputs.Mixed(new Random(Seed + 1), cookie, token, Inputs, real).ToList();

        var report = await FuzzRunner.RunAsync(host, inputs);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
        report.AssertClean();
        await AssertSessionStillWorksAsync(host, cookie);
        FuzzRunner.AssertSecretsNotLogged(host.Logs, cookie, cookie.Split('~')[0], token, token.Split('.')[2], FuzzHost.Password, FuzzHost.ValidBasicToken());
    }

    internal static async Task AssertSessionStillWorksAsync(FuzzHost host, string cookie, bool overPlainHttp = true)
    {
        foreach (var https in overPlainHttp ? new[] { true, false } : [true])
        {
            var name = https ? FuzzHost.SessionCookie : FuzzHost.LoopbackSessionCookie;
            var input = new FuzzInput("valid-after-fuzz", name + "=" + cookie, default, https, Expect.Authenticated);
            var me = await host.SendAsync(FuzzHost.ProtectedPath, input);
            Assert.Equal((200, "user=" + FuzzHost.UserName), (me.Status, me.Body));

            // The signed-in session's data bag still reads and writes: two requests in a row count up by one.
            var first = await host.SendAsync(FuzzHost.AnonymousPath, input);
            var second = await host.SendAsync(FuzzHost.AnonymousPath, input);
            Assert.Equal(200, first.Status);
            Assert.Equal(200, second.Status);
            var n = int.Parse(first.Body["n=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("n=" + (n + 1), second.Body);
        }
    }
}
#endif
