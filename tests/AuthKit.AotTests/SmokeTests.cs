using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AuthKit.Sessions.File;
using AuthKit.Sessions.Redis;
using AuthKit.TestInfrastructure;
using Microsoft.Extensions.Options;

namespace AuthKit.AotTests;

/// <summary>
/// The AOT smoke app, native and on the JIT, over a real loopback port: sign in, read the session (kept in the file store or
/// Redis), Basic, a bearer token and its refresh, sign out. The native runs prove that every package works compiled ahead of time.
/// </summary>
public sealed class SmokeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, "file")]
    [InlineData(true, "redis")]
    [InlineData(false, "file")]
    [InlineData(false, "redis")]
    public async Task Every_package_works_end_to_end(bool native, string store)
    {
        if (native)
        {
            SmokeApp.RequireNativeBinary();
        }

        var data = Path.Combine(Path.GetTempPath(), "authkit-aot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            var settings = SmokeApp.Settings(data);
            settings["Smoke__Store"] = store;
            ISessionStore sessions;
            if (store == "file")
            {
                var directory = Path.Combine(data, "sessions");
                settings["AuthKit__FileStore__Directory"] = directory;
                sessions = new FileSessionStore(Options.Create(new FileSessionStoreOptions { Directory = directory }), TimeProvider.System);
            }
            else
            {
                var server = await RedisTestServer.GetSharedAsync();
                var prefix = RedisTestServer.UniquePrefix("ak-aot");
                settings["AuthKit__RedisStore__Configuration"] = server.ConnectionString;
                settings["AuthKit__RedisStore__KeyPrefix"] = prefix;
                sessions = new RedisSessionStore(Options.Create(new RedisSessionStoreOptions { Configuration = server.ConnectionString, KeyPrefix = prefix }), TimeProvider.System);
            }

            await using var app = await SmokeApp.StartAsync(native, settings);
            try
            {
                await RunScenarioAsync(app, sessions, store);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.SkipException)
            {
                throw new InvalidOperationException($"{ex.Message}\n--- app output\n{app.Output}", ex);
            }
            finally
            {
                (sessions as IDisposable)?.Dispose();
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task RunScenarioAsync(SmokeApp app, ISessionStore sessions, string store)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(1) };

        // Sign in: a session cookie, and the session in the app's store under its handle.
        using var login = await http.PostAsync("/login", Json(new { username = SmokeApp.UserName, password = SmokeApp.Password }), Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        var handle = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("handle").GetString();
        Assert.True(SessionKey.TryParse(handle, out var key));
        var record = await sessions.GetAsync(key, Ct);
        Assert.NotNull(record);
        Assert.Equal(SmokeApp.UserName, record.UserId);

        // Read the session twice: HttpContext.Session data round-trips through the store.
        for (var visit = 1; visit <= 2; visit++)
        {
            using var read = await SendAsync(http, HttpMethod.Get, "/session", r => r.Headers.Add("Cookie", cookie));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var view = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(SmokeApp.UserName, view.GetProperty("user").GetString());
            Assert.Equal(visit, view.GetProperty("visits").GetInt32());
        }

        // Basic: the user table from configuration, the PBKDF2 hash, the challenge on a wrong password.
        using (var basic = await SendAsync(http, HttpMethod.Get, "/basic", r => r.Headers.Authorization = BasicHeader(SmokeApp.Password)))
        {
            Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        }

        using (var wrong = await SendAsync(http, HttpMethod.Get, "/basic", r => r.Headers.Authorization = BasicHeader("nope")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.StartsWith("Basic realm=", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // A token, the API with it, a refresh (rotation: the spent refresh token is refused), the API with the new one.
        using var issue = await http.PostAsync("/token", Json(new { username = SmokeApp.UserName, password = SmokeApp.Password }), Ct);
        Assert.Equal(HttpStatusCode.OK, issue.StatusCode);
        var tokens = await issue.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        await AssertApiAsync(http, access);

        using var refreshed = await http.PostAsync("/token/refresh", Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), Ct);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var renewed = await refreshed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.NotEqual(refresh, renewed.GetProperty("refresh_token").GetString());
        await AssertApiAsync(http, renewed.GetProperty("access_token").GetString()!);
        using (var reuse = await http.PostAsync("/token/refresh", Form(("grant_type", "refresh_token"), ("refresh_token", refresh)), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
            Assert.Contains("invalid_grant", await reuse.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var bad = await SendAsync(http, HttpMethod.Get, "/api", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access[..^4] + "AAAA")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
            Assert.StartsWith("Bearer", bad.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // Sign out: the cookie expires, the record is gone from the store, the old cookie is anonymous.
        using var logout = await SendAsync(http, HttpMethod.Post, "/logout", r => r.Headers.Add("Cookie", cookie));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Null(await sessions.GetAsync(key, Ct));
        using var after = await SendAsync(http, HttpMethod.Get, "/session", r => r.Headers.Add("Cookie", cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains($"({store} store) listening on", app.Output, StringComparison.Ordinal);
    }

    private static async Task AssertApiAsync(HttpClient http, string accessToken)
    {
        using var api = await SendAsync(http, HttpMethod.Get, "/api", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(SmokeApp.UserName, (await api.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("user").GetString());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(method, path);
        configure(request);
        return await http.SendAsync(request, Ct);
    }

    private static AuthenticationHeaderValue BasicHeader(string password)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SmokeApp.UserName}:{password}")));

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
