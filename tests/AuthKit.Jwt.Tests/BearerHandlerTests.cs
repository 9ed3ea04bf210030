using System.Net;
using System.Security.Claims;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class BearerHandlerTests
{
    private static string Challenge(HttpResponseMessage response) => string.Join(" | ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    [Fact]
    public async Task Valid_token_authenticates()
    {
        await using var host = await JwtTestHost.StartAsync();
        var token = await host.IssueAsync("alice");

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello alice", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Scheme_name_is_case_insensitive()
    {
        await using var host = await JwtTestHost.StartAsync();
        var token = await host.IssueAsync("alice");

        var response = await host.GetAsync("/bearer", ("Authorization", "bearer " + token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Spaces_around_the_token_are_not_part_of_it()
    {
        await using var host = await JwtTestHost.StartAsync();
        var token = await host.IssueAsync("alice");

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer    " + token + "  "));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello alice", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task No_token_gets_a_bare_bearer_challenge()
    {
        await using var host = await JwtTestHost.StartAsync();

        var response = await host.GetAsync("/bearer");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Challenge(response));
    }

    [Fact]
    public async Task Realm_is_written_when_set()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.Realm = "api");

        Assert.Equal("Bearer realm=\"api\"", Challenge(await host.GetAsync("/bearer")));
        Assert.Equal("Bearer realm=\"api\", error=\"invalid_token\"", Challenge(await host.GetAsync("/bearer", ("Authorization", "Bearer x.y.z"))));
    }

    [Fact]
    public async Task Bad_token_gets_invalid_token_without_description()
    {
        await using var host = await JwtTestHost.StartAsync();
        var expired = await host.IssueAsync();
        host.Time.Advance(TimeSpan.FromHours(1));

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + expired));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Challenge(response));
    }

    [Fact]
    public async Task Error_description_only_when_opted_in()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.IncludeErrorDetails = true);
        var expired = await host.IssueAsync();
        host.Time.Advance(TimeSpan.FromHours(1));

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + expired));

        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token expired\"", Challenge(response));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer a b")]
    public async Task Empty_or_split_credentials_are_an_invalid_request(string header)
    {
        await using var host = await JwtTestHost.StartAsync();

        var response = await host.GetAsync("/bearer", ("Authorization", header));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_request\"", Challenge(response));
    }

    [Fact]
    public async Task Two_authorization_headers_are_an_invalid_request()
    {
        await using var host = await JwtTestHost.StartAsync();
        var token = await host.IssueAsync();

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + token), ("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_request\"", Challenge(response));
    }

    [Fact]
    public async Task Forbidden_gets_insufficient_scope()
    {
        await using var host = await JwtTestHost.StartAsync();
        var user = await host.IssueAsync("alice");
        var admin = await host.IssueAsync("root", new Claim(ClaimTypes.Role, "admin"));

        var denied = await host.GetAsync("/admin", ("Authorization", "Bearer " + user));
        var allowed = await host.GetAsync("/admin", ("Authorization", "Bearer " + admin));

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\"", Challenge(denied));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("admin root", await allowed.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Other_authorization_schemes_are_not_ours()
    {
        await using var host = await JwtTestHost.StartAsync();

        var response = await host.GetAsync("/bearer", ("Authorization", "Basic YTpi"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Challenge(response));
    }

    [Fact]
    public async Task Query_string_token_is_ignored()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.CookieName = "at");
        var token = await host.IssueAsync();

        var response = await host.GetAsync("/bearer?access_token=" + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Challenge(response));
    }

    [Fact]
    public async Task Cookie_is_a_token_source_only_when_named()
    {
        await using var withCookie = await JwtTestHost.StartAsync(o => o.CookieName = "at");
        var token = await withCookie.IssueAsync("alice");
        var ok = await withCookie.GetAsync("/bearer", ("Cookie", "at=" + token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("hello alice", await ok.Content.ReadAsStringAsync(Ct));
        var bad = await withCookie.GetAsync("/bearer", ("Cookie", "at=garbage"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Challenge(bad));

        await using var withoutCookie = await JwtTestHost.StartAsync();
        var ignored = await withoutCookie.GetAsync("/bearer", ("Cookie", "at=" + token));
        Assert.Equal(HttpStatusCode.Unauthorized, ignored.StatusCode);
        Assert.Equal("Bearer", Challenge(ignored));
    }

    [Fact]
    public async Task Authorization_header_wins_over_the_cookie()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.CookieName = "at");
        var alice = await host.IssueAsync("alice");
        var bob = await host.IssueAsync("bob");

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + alice), ("Cookie", "at=" + bob));

        Assert.Equal("hello alice", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Default_AuthKit_policy_scheme_forwards_bearer_requests()
    {
        await using var host = await JwtTestHost.StartAsync();
        var token = await host.IssueAsync("alice");

        var ok = await host.GetAsync("/default", ("Authorization", "Bearer " + token));
        var bad = await host.GetAsync("/default", ("Authorization", "Bearer " + token + "x"));
        var none = await host.GetAsync("/default");
        var anonymous = await host.GetAsync("/anonymous", ("Authorization", "Bearer " + token));
        var forbidden = await host.GetAsync("/admin-default", ("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("hello alice", await ok.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Challenge(bad));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.DoesNotContain("error=", Challenge(none), StringComparison.Ordinal);
        Assert.Equal("user alice", await anonymous.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\"", Challenge(forbidden));
    }

    [Fact]
    public async Task Denylisted_token_is_refused_by_the_handler()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.EnableTokenIdDenylist = true);
        var issued = await host.Tokens.IssueAsync(User("alice"), cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/bearer", ("Authorization", "Bearer " + issued.AccessToken))).StatusCode);

        await host.Tokens.RevokeTokenIdAsync(issued.TokenId, issued.AccessTokenExpiresAt, Ct);

        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + issued.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Challenge(response));
    }

    [Fact]
    public async Task Events_can_supply_the_token_refuse_it_and_replace_the_challenge()
    {
        var failures = new List<TokenValidationError>();
        await using var host = await JwtTestHost.StartAsync(o =>
        {
            o.Events.OnMessageReceived = c =>
            {
                if (c.Request.Headers.TryGetValue("X-Token", out var t))
                {
                    c.Token = t;
                }

                return Task.CompletedTask;
            };
            o.Events.OnTokenValidated = c =>
            {
                if (c.Principal!.Identity!.Name == "mallory")
                {
                    c.Fail("blocked");
                }

                return Task.CompletedTask;
            };
            o.Events.OnAuthenticationFailed = c =>
            {
                failures.Add(c.Failure);
                return Task.CompletedTask;
            };
            o.Events.OnChallenge = c =>
            {
                if (c.Request.Path == "/bearer" && c.Request.Headers.ContainsKey("X-Custom"))
                {
                    c.HandleResponse();
                    c.Response.StatusCode = 418;
                }

                return Task.CompletedTask;
            };
        });

        var alice = await host.IssueAsync("alice");
        var viaHeader = await host.GetAsync("/bearer", ("X-Token", alice));
        Assert.Equal("hello alice", await viaHeader.Content.ReadAsStringAsync(Ct));

        var mallory = await host.GetAsync("/bearer", ("Authorization", "Bearer " + await host.IssueAsync("mallory")));
        Assert.Equal(HttpStatusCode.Unauthorized, mallory.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Challenge(mallory));

        var custom = await host.GetAsync("/bearer", ("X-Custom", "1"));
        Assert.Equal((HttpStatusCode)418, custom.StatusCode);
        Assert.Empty(custom.Headers.WwwAuthenticate);

        await host.GetAsync("/bearer", ("Authorization", "Bearer a.b.c"));
        Assert.Equal([TokenValidationError.Malformed], failures);
    }

    [Fact]
    public async Task Garbage_tokens_never_reach_a_500()
    {
        await using var host = await JwtTestHost.StartAsync();
        var random = new Random(7);
        var alphabet = "ABCxyz0129-_.+/=\"{}: \\é";
        for (var i = 0; i < 200; i++)
        {
            var chars = Enumerable.Range(0, random.Next(1, 300)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var token = new string(chars).Trim();
            var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + token));
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{response.StatusCode} for '{token}'");
        }
    }
}
