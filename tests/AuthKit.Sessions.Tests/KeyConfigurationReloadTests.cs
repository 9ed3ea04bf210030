using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Tests;

/// <summary>
/// Rotation without a restart, end to end: a Kestrel host reads <c>AuthKit:Keys</c> from a JSON file with reload on; editing the file
/// changes the key that signs the next session cookie, a malformed edit is refused and logged while the host keeps serving.
/// </summary>
public sealed class KeyConfigurationReloadTests : IAsyncLifetime
{
    private static readonly string SecretA = Convert.ToBase64String(Enumerable.Repeat((byte)0xA1, 32).ToArray());
    private static readonly string SecretB = Convert.ToBase64String(Enumerable.Repeat((byte)0xB2, 32).ToArray());
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "authkit-reload-" + Guid.NewGuid().ToString("N"));
    private readonly TestLogs _logs = new();
    private WebApplication? _app;
    private HttpClient? _http;

    private string File => Path.Combine(_directory, "keys.json");

    private HttpClient Http => _http!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await WriteKeysAsync(("a", SecretA));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = _directory });
        builder.Configuration.AddJsonFile(File, optional: false, reloadOnChange: true);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_logs);
        builder.Services.AddAuthKit(o =>
        {
            o.ApplicationName = "reload-tests";
            o.AllowInsecureHttp = true;
        }).AddSessions();
        _app = builder.Build();
        _app.UseAuthKit();
        _app.MapPost("/login", async (HttpContext context) =>
        {
            await context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice"), new Claim(ClaimTypes.Name, "alice")], "test")));
            return "signed in";
        });
        _app.MapGet("/me", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        _app.MapGet("/health", () => "ok");
        await _app.StartAsync(Ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Editing_the_key_file_rotates_without_a_restart_and_a_malformed_edit_is_refused()
    {
        var (cookieA, kidA) = await SignInAsync();
        Assert.Equal("a", kidA);

        // Add b as the active key: the next sign-in is signed with b, and a's cookie still verifies.
        await WriteKeysAsync(("a", SecretA), ("b", SecretB), active: "b");
        var (cookieB, kidB) = await WaitForKidAsync("b");
        Assert.Equal("b", kidB);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cookieA));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cookieB));

        // A file that no longer parses: the JSON provider keeps it out (no reload reaches AuthKit); the host keeps serving with a and b.
        await System.IO.File.WriteAllTextAsync(File, "{ \"AuthKit\": { \"Keys\": [ { \"KeyId\": \"c\", ", Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        using (var health = await Http.GetAsync("/health", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal("b", (await SignInAsync()).KeyId);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cookieA));

        // A file that parses but lost its keys: refused and logged, never a fall-back to generated keys.
        await WriteTextAsync("""{ "AuthKit": { } }""");
        await WaitForAsync(() => _logs.Entries.Any(e => e.EventId == 1003), "the refused reload to be logged");
        var refused = _logs.Entries.First(e => e.EventId == 1003);
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.Contains("AuthKit:Keys is now empty", refused.Message, StringComparison.Ordinal);
        Assert.Equal("b", (await SignInAsync()).KeyId);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cookieA));

        // An edit with a bad secret: refused whole, naming the setting.
        await WriteKeysAsync(("b", SecretB), ("c", "not base64!"), active: "c");
        await WaitForAsync(() => _logs.Entries.Count(e => e.EventId == 1003) >= 2, "the second refused reload to be logged");
        Assert.Contains("AuthKit:Keys:1:Secret", _logs.Entries.Last(e => e.EventId == 1003).Message, StringComparison.Ordinal);
        Assert.Equal("b", (await SignInAsync()).KeyId);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cookieA));

        // a removed: its cookies stop verifying; b's still do.
        await WriteKeysAsync(("b", SecretB));
        await WaitForAsync(async () => await MeAsync(cookieA) != HttpStatusCode.OK, "a's cookie to be refused");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(cookieB));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(SecretA, StringComparison.Ordinal) || e.Message.Contains(SecretB, StringComparison.Ordinal));
    }

    private async Task WriteKeysAsync((string Id, string Secret) first, (string Id, string Secret)? second = null, string? active = null)
    {
        var keys = new List<string> { $$"""{ "KeyId": "{{first.Id}}", "Secret": "{{first.Secret}}" }""" };
        if (second is { } s)
        {
            keys.Add($$"""{ "KeyId": "{{s.Id}}", "Secret": "{{s.Secret}}" }""");
        }

        var activeLine = active is null ? string.Empty : $$""", "ActiveKeyId": "{{active}}" """;
        await WriteTextAsync($$"""{ "AuthKit": { "Keys": [ {{string.Join(", ", keys)}} ]{{activeLine}} } }""");
    }

    private async Task WriteTextAsync(string json)
    {
        var temp = File + ".tmp";
        await System.IO.File.WriteAllTextAsync(temp, json, Ct);
        System.IO.File.Move(temp, File, overwrite: true);
    }

    private async Task<(string Cookie, string KeyId)> SignInAsync()
    {
        using var response = await Http.PostAsync("/login", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        var parts = cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..].Split('~');
        Assert.Equal(3, parts.Length);
        return (cookie, parts[1]);
    }

    private async Task<HttpStatusCode> MeAsync(string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Add("Cookie", cookie);
        using var response = await Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private async Task<(string Cookie, string KeyId)> WaitForKidAsync(string kid)
    {
        (string Cookie, string KeyId) last = default;
        await WaitForAsync(async () => (last = await SignInAsync()).KeyId == kid, $"sign-ins to be signed with '{kid}'");
        return last;
    }

    private static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        // The file watcher reports a change within about a second; allow a loaded machine far more.
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
    }
}
