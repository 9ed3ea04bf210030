using System.Security.Claims;
using AuthKit.Jwt;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Jwt.Tests.Interop;

/// <summary>AuthKit's token service and Bearer scheme as an app builds them (<c>AddAuthKit().AddJwt(...)</c>), on a fake clock.</summary>
internal static class EvidenceServices
{
    /// <summary>A clock at the current second: peers (JsonWebTokenHandler) check lifetimes against the real clock, so the fake one starts there.</summary>
    public static FakeTimeProvider ClockAtNow() => new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public static ServiceProvider Create(TimeProvider time, Action<JwtAuthenticationOptions> configure)
    {
        var services = new ServiceCollection();
        var sink = new LogSink();
        services.AddSingleton(sink);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(sink));
        services.AddSingleton(time);
        services.AddAuthKit().AddJwt(configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static ITokenService TokenService(this ServiceProvider services) => services.GetRequiredService<ITokenService>();

    /// <summary>Asserts that AuthKit logged no error: no exception was swallowed into a <see cref="TokenValidationError.Malformed"/>.</summary>
    public static void AssertNothingSwallowed(this IServiceProvider services)
    {
        var entries = services.GetRequiredService<LogSink>().Entries;
        Assert.True(entries.Count == 0, "AuthKit logged errors (an exception swallowed during validation?):\n" + string.Join("\n", entries.Take(5)));
    }

    /// <summary>The AuthKit issuer/audience of the interop claims, and the given keys.</summary>
    public static Action<JwtAuthenticationOptions> Configure(InteropClaims claims, string? activeKeyId, params JwtSigningKey[] keys) => o =>
    {
        o.Issuer = claims.Issuer;
        o.Audience = claims.Audience;
        foreach (var key in keys)
        {
            o.SigningKeys.Add(key);
        }

        o.ActiveKeyId = activeKeyId;
        o.GenerateDevelopmentKeys = false;
    };

    /// <summary>The peer key as an AuthKit key: the private key (AuthKit signs), or only the public key (AuthKit verifies).</summary>
    public static JwtSigningKey ToAuthKitKey(this PeerKey key, bool privateKey) => key.Family switch
    {
        KeyFamily.Hmac => JwtSigningKey.FromSecret(key.KeyId, key.Algorithm, key.Secret!),
        KeyFamily.Rsa or KeyFamily.RsaPss => JwtSigningKey.FromRsa(key.KeyId, key.Algorithm, privateKey ? key.Rsa! : key.PublicRsa()),
        _ => JwtSigningKey.FromECDsa(key.KeyId, key.Algorithm, privateKey ? key.ECDsa! : key.PublicECDsa()),
    };

    /// <summary>
    /// A TestServer app with <c>UseAuthKit()</c> and one endpoint that needs an authenticated user (default <c>AuthKit</c> scheme, which
    /// forwards <c>Authorization: Bearer</c> to the JWT scheme). Dispose the app.
    /// </summary>
    public static async Task<WebApplication> StartAppAsync(TimeProvider time, Action<JwtAuthenticationOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var sink = new LogSink();
        builder.Logging.AddProvider(sink);
        builder.Services.AddSingleton(sink);
        builder.Services.AddSingleton(time);
        builder.Services.AddAuthKit().AddJwt(configure);
        var app = builder.Build();
        app.UseAuthKit();
        app.MapGet("/protected", (ClaimsPrincipal user) => "hello " + user.FindFirst("sub")?.Value).RequireAuthorization();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
