using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Jwt.Tests;

/// <summary>A TestServer app with AuthKit and the JWT scheme, a fake clock, and a few endpoints.</summary>
internal sealed class JwtTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private JwtTestHost(IHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
        Client = host.GetTestClient();
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _host.Services;

    public ITokenService Tokens => Services.GetRequiredService<ITokenService>();

    public static async Task<JwtTestHost> StartAsync(
        Action<JwtAuthenticationOptions>? configure = null,
        IDictionary<string, string?>? configuration = null,
        string environment = "Production",
        Action<AuthKitOptions>? authKit = null,
        bool defaults = true)
    {
        var host = BuildHost(configure, configuration, environment, authKit, defaults, out var time);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new JwtTestHost(host, time);
    }

    public static IHost BuildHost(
        Action<JwtAuthenticationOptions>? configure,
        IDictionary<string, string?>? configuration,
        string environment,
        Action<AuthKitOptions>? authKit,
        bool defaults,
        out FakeTimeProvider time)
    {
        var clock = JwtTestKeys.NewClock();
        time = clock;
        return new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()))
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddSingleton<TimeProvider>(clock);
                    s.AddAuthKit(o =>
                    {
                        o.Keys.Add(new AuthKitKeyOptions { KeyId = "test", Secret = Convert.ToBase64String(new byte[32]) });
                        authKit?.Invoke(o);
                    }).AddJwt(o =>
                    {
                        if (defaults)
                        {
                            o.Issuer = JwtTestKeys.Issuer;
                            o.Audience = JwtTestKeys.Audience;
                            o.SigningKeys.Add(JwtTestKeys.For(JwtAlgorithms.HS256));
                            o.SigningKeys.Add(JwtTestKeys.For(JwtAlgorithms.ES256));
                            o.SigningKeys.Add(JwtTestKeys.For(JwtAlgorithms.RS256));
                        }

                        configure?.Invoke(o);
                    });
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthKit();
                    app.UseEndpoints(e =>
                    {
                        var bearer = new AuthorizeAttribute { AuthenticationSchemes = JwtAuthenticationDefaults.AuthenticationScheme };
                        e.MapGet("/bearer", (ClaimsPrincipal user) => "hello " + user.Identity!.Name).RequireAuthorization(bearer);
                        e.MapGet("/default", (ClaimsPrincipal user) => "hello " + user.Identity!.Name).RequireAuthorization();
                        e.MapGet("/admin", (ClaimsPrincipal user) => "admin " + user.Identity!.Name)
                            .RequireAuthorization(new AuthorizationPolicyBuilder(JwtAuthenticationDefaults.AuthenticationScheme).RequireRole("admin").Build());
                        e.MapGet("/admin-default", (ClaimsPrincipal user) => "admin " + user.Identity!.Name).RequireAuthorization(p => p.RequireRole("admin"));
                        e.MapGet("/anonymous", (HttpContext c) => c.User.Identity?.IsAuthenticated == true ? "user " + c.User.Identity.Name : "anonymous");
                        e.MapAuthKitJwks();
                        e.MapAuthKitTokenEndpoints();
                    });
                }))
            .Build();
    }

    public async Task<string> IssueAsync(string userId = "alice", params Claim[] claims) =>
        (await Tokens.IssueAsync(JwtTestKeys.User(userId, claims), cancellationToken: TestContext.Current.CancellationToken)).AccessToken;

    public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
