using AuthKit.Cookies.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Cookies.Tests;

public sealed class CookieManagerTests
{
    [Fact]
    public void Small_value_is_one_cookie()
    {
        var context = new DefaultHttpContext();
        var manager = new AuthKitCookieManager();

        manager.AppendResponseCookie(context, "c", "value", new CookieOptions { Path = "/", Secure = true });

        var header = Assert.Single(context.Response.Headers.SetCookie.ToArray());
        Assert.StartsWith("c=value;", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_value_is_chunked_every_set_cookie_stays_under_4096_bytes_and_reads_back()
    {
        var context = new DefaultHttpContext();
        var logs = new ListLogger();
        var manager = Manager(logs);
        var value = new string('v', 10_000);

        manager.AppendResponseCookie(context, "big", value, new CookieOptions { Path = "/", Secure = true, HttpOnly = true });

        var headers = context.Response.Headers.SetCookie.ToArray();
        Assert.True(headers.Length >= 3);
        Assert.All(headers, h => Assert.True(h!.Length <= 4096, $"{h.Length} bytes"));
        Assert.StartsWith("big=chunks-", headers[0], StringComparison.Ordinal);
        Assert.Empty(logs.Messages);

        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = string.Join("; ", headers.Select(h => h!.Split(';')[0]));
        Assert.Equal(value, manager.GetRequestCookie(request, "big"));
    }

    [Fact]
    public void Value_needing_more_chunks_than_allowed_is_not_sent_and_an_error_names_the_cookie()
    {
        var context = new DefaultHttpContext();
        var logs = new ListLogger();
        var manager = Manager(logs);
        manager.MaxChunks = 2;

        manager.AppendResponseCookie(context, "huge", new string('v', 20_000), new CookieOptions { Path = "/" });

        Assert.Empty(context.Response.Headers.SetCookie.ToArray());
        var message = Assert.Single(logs.Messages);
        Assert.Contains("'huge' was not sent", message, StringComparison.Ordinal);
        Assert.DoesNotContain("vvvv", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_chunking_a_set_cookie_over_4096_bytes_is_never_sent()
    {
        var context = new DefaultHttpContext();
        var logs = new ListLogger();
        var manager = Manager(logs);
        manager.ChunkSize = null;

        manager.AppendResponseCookie(context, "big", new string('v', 4100), new CookieOptions { Path = "/" });
        manager.AppendResponseCookie(context, "fits", new string('v', 4000), new CookieOptions { Path = "/" });

        var header = Assert.Single(context.Response.Headers.SetCookie.ToArray());
        Assert.StartsWith("fits=", header, StringComparison.Ordinal);
        Assert.Single(logs.Messages);
    }

    [Fact]
    public void Delete_expires_the_cookie_and_its_chunks()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "big=chunks-2; bigC1=aaa; bigC2=bbb";
        var manager = new AuthKitCookieManager();

        manager.DeleteCookie(context, "big", new CookieOptions { Path = "/", Secure = true });

        var headers = context.Response.Headers.SetCookie.ToArray();
        Assert.Equal(3, headers.Length);
        Assert.All(headers, h => Assert.Contains("expires=Thu, 01 Jan 1970", h, StringComparison.Ordinal));
    }

    [Fact]
    public void Measure_matches_the_header_the_framework_writes()
    {
        var context = new DefaultHttpContext();
        var options = new CookieOptions { Path = "/", Secure = true, HttpOnly = true, SameSite = SameSiteMode.Lax };

        context.Response.Cookies.Append("n", "a b~c", options);

        Assert.Equal(context.Response.Headers.SetCookie.ToString().Length, AuthKitCookieRules.MeasureSetCookie("n", "a b~c", options));
    }

    [Fact]
    public void The_one_MaxSetCookieSize_setting_limits_the_manager_too()
    {
        var context = new DefaultHttpContext();
        var logs = new ListLogger();
        var manager = Manager(logs, new AuthKitCookieOptions { MaxSetCookieSize = 1024 });
        manager.ChunkSize = null;

        manager.AppendResponseCookie(context, "mid", new string('v', 2000), new CookieOptions { Path = "/" });

        Assert.Empty(context.Response.Headers.SetCookie.ToArray());
        Assert.Contains("limit 1024", Assert.Single(logs.Messages), StringComparison.Ordinal);
    }

    private static AuthKitCookieManager Manager(ListLogger logs, AuthKitCookieOptions? options = null)
    {
        var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return new AuthKitCookieManager(Options.Create(options ?? new AuthKitCookieOptions()), factory.CreateLogger<AuthKitCookieManager>());
    }
}
