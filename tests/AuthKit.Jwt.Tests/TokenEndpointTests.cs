using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class TokenEndpointTests
{
    private static async Task<string> IssueRefreshAsync(JwtTestHost host, string user = "alice") =>
        (await host.Tokens.IssueAsync(User(user), new TokenIssueOptions { IncludeRefreshToken = true }, Ct)).RefreshToken!;

    private static Task<HttpResponseMessage> PostFormAsync(JwtTestHost host, string path, params (string, string)[] fields) =>
        host.Client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))), Ct);

    private static Task<HttpResponseMessage> PostJsonAsync(JwtTestHost host, string path, string json) =>
        host.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task Refresh_with_a_form_returns_an_rfc6749_token_response()
    {
        await using var host = await JwtTestHost.StartAsync();
        var refresh = await IssueRefreshAsync(host);

        var response = await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", refresh));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no-cache", response.Headers.Pragma.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = json.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(900, root.GetProperty("expires_in").GetInt32());
        var newRefresh = root.GetProperty("refresh_token").GetString();
        Assert.NotEqual(refresh, newRefresh);
        var access = root.GetProperty("access_token").GetString()!;
        var me = await host.GetAsync("/bearer", ("Authorization", "Bearer " + access));
        Assert.Equal("hello alice", await me.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Refresh_with_json_works_and_reuse_is_invalid_grant()
    {
        await using var host = await JwtTestHost.StartAsync();
        var refresh = await IssueRefreshAsync(host);

        var first = await PostJsonAsync(host, "/auth/token/refresh", $$"""{"refresh_token":"{{refresh}}"}""");
        var reuse = await PostJsonAsync(host, "/auth/token/refresh", $$"""{"refresh_token":"{{refresh}}"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal("""{"error":"invalid_grant"}""", await reuse.Content.ReadAsStringAsync(Ct));
        Assert.Equal("no-store", reuse.Headers.CacheControl!.ToString());

        // The family is gone: the token the first refresh returned is dead too.
        using var json = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        var rotated = json.RootElement.GetProperty("refresh_token").GetString()!;
        var after = await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", rotated));
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task Refresh_request_errors_follow_rfc6749()
    {
        await using var host = await JwtTestHost.StartAsync();
        var refresh = await IssueRefreshAsync(host);

        async Task<(HttpStatusCode, string)> Error(HttpResponseMessage r) => (r.StatusCode, await r.Content.ReadAsStringAsync(Ct));

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"unsupported_grant_type"}"""),
            await Error(await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "password"), ("refresh_token", refresh))));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid_request"}"""),
            await Error(await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"))));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid_request"}"""),
            await Error(await PostFormAsync(host, "/auth/token/refresh", ("refresh_token", refresh), ("refresh_token", refresh))));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid_request"}"""),
            await Error(await PostJsonAsync(host, "/auth/token/refresh", "{not json")));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid_request"}"""),
            await Error(await host.Client.PostAsync("/auth/token/refresh", new StringContent(refresh, Encoding.UTF8, "text/plain"), Ct)));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid_grant"}"""),
            await Error(await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", SessionIds.Create()))));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await host.Client.GetAsync("/auth/token/refresh", Ct)).StatusCode);

        // None of the refused requests spent the token.
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", refresh))).StatusCode);
    }

    [Fact]
    public async Task Revoke_ends_the_refresh_family_and_always_answers_200()
    {
        await using var host = await JwtTestHost.StartAsync();
        var refresh = await IssueRefreshAsync(host);

        var revoked = await PostFormAsync(host, "/auth/token/revoke", ("token", refresh), ("token_type_hint", "refresh_token"));
        var unknown = await PostJsonAsync(host, "/auth/token/revoke", $$"""{"token":"{{SessionIds.Create()}}"}""");
        var garbage = await PostFormAsync(host, "/auth/token/revoke", ("token", "garbage"));
        var missing = await PostFormAsync(host, "/auth/token/revoke", ("nothing", "x"));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var refreshed = await PostFormAsync(host, "/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", refresh));
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("""{"error":"invalid_grant"}""", await refreshed.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Revoking_an_access_token_denies_its_jti()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.EnableTokenIdDenylist = true);
        var access = await host.IssueAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/bearer", ("Authorization", "Bearer " + access))).StatusCode);

        var revoked = await PostFormAsync(host, "/auth/token/revoke", ("token", access));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + access));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Jwks_publishes_public_keys_only()
    {
        await using var host = await JwtTestHost.StartAsync();

        var response = await host.Client.GetAsync("/.well-known/jwks.json", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl!.ToString());
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(body);
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        var ec = keys.Single(k => k.GetProperty("kty").GetString() == "EC");
        Assert.Equal("k-ES256", ec.GetProperty("kid").GetString());
        Assert.Equal("ES256", ec.GetProperty("alg").GetString());
        Assert.Equal("sig", ec.GetProperty("use").GetString());
        Assert.Equal("P-256", ec.GetProperty("crv").GetString());
        Assert.Equal(["kty", "kid", "alg", "use", "crv", "x", "y"], ec.EnumerateObject().Select(p => p.Name).ToArray());
        var rsa = keys.Single(k => k.GetProperty("kty").GetString() == "RSA");
        Assert.Equal(["kty", "kid", "alg", "use", "n", "e"], rsa.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("AQAB", rsa.GetProperty("e").GetString());
        Assert.DoesNotContain("\"d\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"k\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("HS256", body, StringComparison.Ordinal);

        // What the JWKS publishes verifies what the server signs.
        var verifier = Service(keys: [.. keys.Select(k => JwtSigningKey.FromJwk(k.GetRawText()))]);
        var es = Create(new JwtAuthenticationOptions { Issuer = Issuer, Audience = Audience, SigningKeys = { For(JwtAlgorithms.ES256) } });
        var token = (await es.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        Assert.True((await verifier.ValidateAsync(token, Ct)).Succeeded);
    }
}
