using System.Text;
using AuthKit.Basic.Internal;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic.Tests;

public sealed class BasicParsingTests
{
    private const string Challenge = "Basic realm=\"AuthKit\", charset=\"UTF-8\"";

    [Fact]
    public async Task Rfc7617_example_Aladdin_open_sesame_is_accepted()
    {
        await using var host = await BasicTestHost.StartAsync();
        // RFC 7617 §2: user-id "Aladdin", password "open sesame".
        var response = await host.SendAsync("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        Assert.Equal(200, response.Response.StatusCode);
        Assert.Equal("hello Aladdin", BasicTestHost.Body(response));
    }

    [Theory]
    [InlineData("basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("BASIC QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("Basic    QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    public async Task Scheme_name_is_case_insensitive_and_spaces_may_repeat(string header)
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(header);
        Assert.Equal(200, response.Response.StatusCode);
    }

    [Fact]
    public async Task Rfc7617_utf8_example_test_123_pound_is_accepted()
    {
        await using var host = await BasicTestHost.StartAsync();
        // RFC 7617 §2.1: "test:123£" in UTF-8 is dGVzdDoxMjPCow==.
        Assert.Equal("dGVzdDoxMjPCow==", Convert.ToBase64String(Encoding.UTF8.GetBytes("test:123£")));
        var response = await host.SendAsync("Basic dGVzdDoxMjPCow==");
        Assert.Equal(200, response.Response.StatusCode);
        Assert.Equal("hello test", BasicTestHost.Body(response));
    }

    [Fact]
    public async Task Utf8_user_name_and_password_are_decoded()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(BasicTestHost.Basic("José", "señor"));
        Assert.Equal(200, response.Response.StatusCode);
        Assert.Equal("hello José", BasicTestHost.Body(response));
    }

    [Fact]
    public async Task Password_is_split_from_the_user_id_on_the_first_colon_only()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(BasicTestHost.Basic("colon", "pa:ss:word:"));
        Assert.Equal(200, response.Response.StatusCode);
        Assert.Equal("hello colon", BasicTestHost.Body(response));
        var wrong = await host.SendAsync(BasicTestHost.Basic("colon", "pa:ss:word"));
        Assert.Equal(401, wrong.Response.StatusCode);
    }

    [Fact]
    public async Task Latin1_credentials_are_refused_with_400_unless_the_fallback_is_on()
    {
        var latin1 = "Basic " + Convert.ToBase64String(Encoding.Latin1.GetBytes("José:señor"));
        await using (var strict = await BasicTestHost.StartAsync())
        {
            var refused = await strict.SendAsync(latin1);
            Assert.Equal(400, refused.Response.StatusCode);
            Assert.Equal(0, strict.Get<TestUsers>().Calls);
        }

        await using var lenient = await BasicTestHost.StartAsync(o => o.AllowLatin1Fallback = true);
        var accepted = await lenient.SendAsync(latin1);
        Assert.Equal(200, accepted.Response.StatusCode);
        Assert.Equal("hello José", BasicTestHost.Body(accepted));
        // Valid UTF-8 is still read as UTF-8 when the fallback is on.
        Assert.Equal(200, (await lenient.SendAsync(BasicTestHost.Basic("José", "señor"))).Response.StatusCode);
    }

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ")]          // padding missing
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=")]         // wrong padding
    [InlineData("Basic QWxhZGRp bjpvcGVuIHNlc2FtZQ==")]       // space inside
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==QQ==")]    // padding in the middle
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZR==")]        // non-zero pad bits (same bytes as ...ZQ==)
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ-_")]        // base64url alphabet
    [InlineData("Basic !!!!")]
    [InlineData("Basic ====")]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ==x")]
    public async Task Malformed_base64_is_400_without_calling_the_validator(string header)
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(header);
        if (header.StartsWith("BasicQ", StringComparison.Ordinal))
        {
            // Not the Basic scheme at all: no credentials, so a plain 401 challenge.
            Assert.Equal(401, response.Response.StatusCode);
        }
        else
        {
            Assert.Equal(400, response.Response.StatusCode);
            Assert.False(response.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
        }

        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task Credentials_without_a_colon_are_400()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync("Basic " + Convert.ToBase64String("Aladdin open sesame"u8));
        Assert.Equal(400, response.Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task A_header_over_MaxHeaderLength_is_400_and_one_at_the_limit_is_read()
    {
        await using var host = await BasicTestHost.StartAsync(o => o.MaxHeaderLength = 64);
        var atLimit = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + new string('x', 36)));
        Assert.Equal(62, atLimit.Length);
        Assert.Equal(401, (await host.SendAsync(atLimit)).Response.StatusCode);

        var over = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + new string('x', 40)));
        Assert.True(over.Length > 64);
        Assert.Equal(400, (await host.SendAsync(over)).Response.StatusCode);
        Assert.Equal(1, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task A_default_size_header_of_100_KB_is_400()
    {
        await using var host = await BasicTestHost.StartAsync();
        var huge = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + new string('x', 100_000)));
        Assert.Equal(400, (await host.SendAsync(huge)).Response.StatusCode);
    }

    [Theory]
    [InlineData("ali\u0000ce")]
    [InlineData("ali\tce")]
    [InlineData("alice\r\n")]
    [InlineData("ali\u007Fce")]
    [InlineData("ali\u0085ce")]
    public async Task Control_characters_in_the_user_id_are_400(string user)
    {
        await using var host = await BasicTestHost.StartAsync();
        host.Get<TestUsers>().Passwords[user] = "pw";
        var response = await host.SendAsync(BasicTestHost.Basic(user, "pw"));
        Assert.Equal(400, response.Response.StatusCode);
        Assert.Equal(0, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task Several_Authorization_headers_with_Basic_are_400()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.Server.SendAsync(c =>
        {
            c.Request.Scheme = "https";
            c.Request.Path = "/protected";
            c.Request.Headers.Authorization = new Microsoft.Extensions.Primitives.StringValues(["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]);
        }, TestContext.Current.CancellationToken);
        Assert.Equal(400, response.Response.StatusCode);
    }

    [Fact]
    public async Task Missing_header_is_no_result_anonymous_endpoints_run_and_protected_ones_challenge()
    {
        await using var host = await BasicTestHost.StartAsync();
        var anonymous = await host.SendAsync(null, "/anonymous");
        Assert.Equal(200, anonymous.Response.StatusCode);
        Assert.Equal("anonymous", BasicTestHost.Body(anonymous));

        var bearer = await host.SendAsync("Bearer abc", "/protected");
        Assert.Equal(401, bearer.Response.StatusCode);
        Assert.Equal(Challenge, bearer.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task Malformed_credentials_on_an_anonymous_endpoint_leave_the_user_anonymous()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync("Basic !!!!", "/anonymous");
        Assert.Equal(200, response.Response.StatusCode);
        Assert.Equal("anonymous", BasicTestHost.Body(response));
    }

    [Theory]
    [InlineData("QWxhZGRpbjpvcGVuIHNlc2FtZQ==", true)]
    [InlineData("QQ==", true)]
    [InlineData("QR==", false)]
    [InlineData("QUI=", true)]
    [InlineData("QUJ=", false)]
    [InlineData("QUJD", true)]
    [InlineData("QUJD\n", false)]
    [InlineData("", false)]
    public void Strict_base64(string token, bool valid)
    {
        var buffer = new byte[64];
        Assert.Equal(valid, BasicCredentialParser.TryDecodeStrict(token, buffer, out _));
    }
}
