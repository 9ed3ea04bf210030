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
        var cookie = await host.SignInAsync();
        var inputs = FuzzInputs.Cookies(new Random(Seed), cookie, Inputs).ToList();

        var report = await FuzzRunner.RunAsync(host, inputs);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
        report.AssertClean();
        await AssertSessionStillWorksAsync(host, cookie);
        FuzzRunner.AssertSecretsNotLogged(host.Logs, cookie, cookie.Split('~')[0], FuzzHost.Password,
            Convert.ToBase64String(FuzzHost.CookieKeySecret), Base64Url.EncodeToString(FuzzHost.CookieKeySecret));
    }

    internal static async Task AssertSessionStillWorksAsync(FuzzHost host, string cookie)
    {
        foreach (var https in new[] { true, false })
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
