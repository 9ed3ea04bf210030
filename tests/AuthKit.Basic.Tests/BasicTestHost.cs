using System.Net;
using System.Security.Claims;
using System.Text;
using AuthKit;
using AuthKit.Basic;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Basic.Tests;

/// <summary>A TestServer app with the Basic scheme; requests are built as raw <see cref="HttpContext"/>s so headers stay byte for byte.</summary>
internal sealed class BasicTestHost : IAsyncDisposable
{
    public static readonly IPAddress RemoteClient = IPAddress.Parse("203.0.113.7");

    private readonly IHost _host;

    private BasicTestHost(IHost host, FakeTimeProvider time)
    {
        _host = host;
        Time = time;
        Server = host.GetTestServer();
    }

    public FakeTimeProvider Time { get; }

    public TestServer Server { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<BasicTestHost> StartAsync(Action<BasicAuthenticationOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        StartAsync(b => b.AddBasic<TestValidator>(configure), services);

    /// <summary>Services that set the credential throttle's limits.</summary>
    public static Action<IServiceCollection> Throttle(Action<CredentialThrottleOptions> configure) => s => s.Configure(configure);

    public static async Task<BasicTestHost> StartAsync(Action<AuthKitBuilder> addBasic, Action<IServiceCollection>? services = null, IDictionary<string, string?>? configuration = null, string environment = "Production")
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var host = new HostBuilder()
            .UseEnvironment(environment)
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddSingleton<TimeProvider>(time);
                    s.AddSingleton<TestUsers>();
                    var authKit = s.AddAuthKit(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "test", Secret = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()) }));
                    addBasic(authKit);
                    services?.Invoke(s);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthKit();
                    app.UseEndpoints(e =>
                    {
                        e.MapGet("/protected", (ClaimsPrincipal user) => "hello " + user.Identity!.Name)
                            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = BasicAuthenticationDefaults.AuthenticationScheme });
                        e.MapGet("/default", (ClaimsPrincipal user) => "hello " + user.Identity!.Name).RequireAuthorization();
                        e.MapGet("/mutate", (ClaimsPrincipal user) =>
                        {
                            // An app that edits the principal it was given must not change what later requests get.
                            var identity = (ClaimsIdentity)user.Identity!;
                            identity.AddClaim(new Claim("mutated", "yes"));
                            return identity.FindAll("mutated").Count().ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = BasicAuthenticationDefaults.AuthenticationScheme });
                        e.MapGet("/admins-only", (ClaimsPrincipal user) => "admin " + user.Identity!.Name).RequireAuthorization("admins");
                        e.MapGet("/anonymous", (HttpContext c) => c.User.Identity?.IsAuthenticated == true ? "user " + c.User.Identity.Name : "anonymous");
                    });
                }))
            .Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new BasicTestHost(host, time);
    }

    /// <summary>Sends a GET with a raw <c>Authorization</c> value (or none), over <paramref name="scheme"/>, from <paramref name="remote"/>.</summary>
    public Task<HttpContext> SendAsync(string? authorization, string path = "/protected", string scheme = "https", IPAddress? remote = null, bool withoutRemoteAddress = false, string host = "api.example") =>
        Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Scheme = scheme;
            c.Request.Host = new HostString(host);
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = withoutRemoteAddress ? null : remote ?? RemoteClient;
            if (authorization is not null)
            {
                c.Request.Headers.Authorization = authorization;
            }
        }, TestContext.Current.CancellationToken);

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    public static string Body(HttpContext context)
    {
        return new StreamReader(context.Response.Body).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}

/// <summary>Users and passwords of <see cref="TestValidator"/>, with a call count.</summary>
internal sealed class TestUsers
{
    private int _calls;

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal)
    {
        ["Aladdin"] = "open sesame",
        ["test"] = "123£",
        ["colon"] = "pa:ss:word:",
        ["José"] = "señor",
        ["alice"] = "correct horse",
        ["bob"] = "battery staple",
    };

    public int Calls => Volatile.Read(ref _calls);

    public void Called() => Interlocked.Increment(ref _calls);
}

/// <summary>A plain-comparison validator that counts its calls (registered scoped by AddBasic).</summary>
internal sealed class TestValidator(TestUsers users) : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken)
    {
        users.Called();
        if (users.Passwords.TryGetValue(context.UserName, out var expected) && expected == context.Password)
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, context.UserName)], "Basic");
            return ValueTask.FromResult<ClaimsPrincipal?>(new ClaimsPrincipal(identity));
        }

        return ValueTask.FromResult<ClaimsPrincipal?>(null);
    }
}
