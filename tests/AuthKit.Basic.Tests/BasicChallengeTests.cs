using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic.Tests;

public sealed class BasicChallengeTests
{
    [Fact]
    public async Task Missing_credentials_get_the_exact_challenge()
    {
        await using var host = await BasicTestHost.StartAsync();
        var response = await host.SendAsync(null);
        Assert.Equal(401, response.Response.StatusCode);
        var challenge = Assert.Single(response.Response.Headers[HeaderNames.WWWAuthenticate]);
        Assert.Equal("Basic realm=\"AuthKit\", charset=\"UTF-8\"", challenge);
    }

    [Fact]
    public async Task Wrong_credentials_get_401_and_the_challenge_with_the_configured_realm()
    {
        await using var host = await BasicTestHost.StartAsync(o => o.Realm = "Admin area");
        var response = await host.SendAsync(BasicTestHost.Basic("Aladdin", "open sesame!"));
        Assert.Equal(401, response.Response.StatusCode);
        Assert.Equal("Basic realm=\"Admin area\", charset=\"UTF-8\"", Assert.Single(response.Response.Headers[HeaderNames.WWWAuthenticate]));
        Assert.Equal(1, host.Get<TestUsers>().Calls);
    }

    [Fact]
    public async Task Unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        await using var host = await BasicTestHost.StartAsync();
        var unknown = await host.SendAsync(BasicTestHost.Basic("mallory", "open sesame"));
        var wrong = await host.SendAsync(BasicTestHost.Basic("Aladdin", "x"));
        Assert.Equal(wrong.Response.StatusCode, unknown.Response.StatusCode);
        Assert.Equal(wrong.Response.Headers[HeaderNames.WWWAuthenticate], unknown.Response.Headers[HeaderNames.WWWAuthenticate]);
        Assert.Equal(BasicTestHost.Body(wrong), BasicTestHost.Body(unknown));
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    public async Task A_realm_that_cannot_be_a_quoted_string_stops_the_host_at_start(string realm)
    {
        var options = new BasicAuthenticationOptions { Realm = realm };
        Assert.Equal(realm, options.Realm);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => BasicTestHost.StartAsync(o => o.Realm = realm));
        Assert.Contains("AuthKit:Basic:Realm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_garbage_never_reaches_a_500()
    {
        await using var host = await BasicTestHost.StartAsync(
            b => b.AddBasic<TestValidator>(),
            BasicTestHost.Throttle(o => (o.MaxFailuresPerClient, o.MaxFailuresPerUser) = (0, 0)));
        var random = new Random(7617);
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= :\t\u00e9\u0000-_.";
        var statuses = new HashSet<int>();
        for (var i = 0; i < 1500; i++)
        {
            string header;
            switch (i % 3)
            {
                case 0:
                    var bytes = new byte[random.Next(0, 80)];
                    random.NextBytes(bytes);
                    header = "Basic " + Convert.ToBase64String(bytes);
                    break;
                case 1:
                    var chars = new char[random.Next(0, 60)];
                    for (var j = 0; j < chars.Length; j++)
                    {
                        chars[j] = alphabet[random.Next(alphabet.Length)];
                    }

                    header = "Basic " + new string(chars);
                    break;
                default:
                    var text = Encoding.UTF8.GetBytes("u" + random.Next(100) + ":" + RandomNumberGenerator.GetHexString(random.Next(0, 20)));
                    text[random.Next(text.Length)] = (byte)random.Next(256);
                    header = "Basic " + Convert.ToBase64String(text);
                    break;
            }

            var response = await host.SendAsync(header);
            statuses.Add(response.Response.StatusCode);
            Assert.True(response.Response.StatusCode is 400 or 401 or 429, $"'{header}' gave {response.Response.StatusCode}");
        }

        Assert.Contains(400, statuses);
        Assert.Contains(401, statuses);
    }
}
