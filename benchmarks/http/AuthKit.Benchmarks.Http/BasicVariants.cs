using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AuthKit;
using AuthKit.Basic;
using Microsoft.AspNetCore.Authentication;
using IdunnoEvents = idunno.Authentication.Basic.BasicAuthenticationEvents;

namespace AuthKit.Benchmarks.Http;

/// <summary>
/// Basic-authenticated endpoints, one user (<c>bench-user</c>, sent by <c>benchmarks/http/basic.lua</c>), the same checks everywhere:
/// <c>/basic/authkit-pbkdf2</c> (AuthKit, PBKDF2-600k hash, verified-credential cache on), <c>/basic/idunno-pbkdf2</c>
/// (idunno.Authentication.Basic, the same PBKDF2-600k check; it has no cache) and <c>/basic/plain</c> (AuthKit with a constant-time
/// comparison against an in-memory password, cache off: the floor).
/// </summary>
internal static partial class BenchVariants
{
    private const string BasicHashedScheme = BasicAuthenticationDefaults.AuthenticationScheme;
    private const string BasicPlainScheme = "BasicPlain";
    private const string BasicIdunnoScheme = "IdunnoBasic";

    static partial void ConfigureBasicServices(IServiceCollection services)
    {
        // wrk talks plain HTTP on loopback (AllowInsecureHttp), with 32 connections for one user: the plain variant checks every
        // request (cache off), so the throttle's cap on concurrent checks per user is lifted here.
        services.Configure<CredentialThrottleOptions>(o => (o.MaxConcurrentPerUser, o.MaxConcurrentPerClient) = (0, 0));
        services.AddAuthKit()
            .AddBasic<BenchBasicHashedValidator>(o => o.CredentialCacheLifetime = TimeSpan.FromHours(1))
            .AddBasic<BenchBasicPlainValidator>(BasicPlainScheme, o => o.CredentialCacheLifetime = TimeSpan.Zero);
        services.AddAuthentication().AddBasic(BasicIdunnoScheme, o =>
        {
            o.AllowInsecureProtocol = true; // wrk talks plain HTTP on loopback.
            o.Events = new IdunnoEvents
            {
                OnValidateCredentials = context =>
                {
                    if (BenchBasicUser.CheckHashed(context.Username, context.Password) is { } principal)
                    {
                        context.Principal = principal;
                        context.Success();
                    }

                    return Task.CompletedTask;
                },
            };
        });

        // Each path authenticates once, through the default AuthKit policy scheme, with its own scheme.
        services.PostConfigure<PolicySchemeOptions>(AuthKitDefaults.AuthenticationScheme, o =>
        {
            var inner = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/basic/idunno-pbkdf2", StringComparison.Ordinal) ? BasicIdunnoScheme
                : context.Request.Path.StartsWithSegments("/basic/plain", StringComparison.Ordinal) ? BasicPlainScheme
                : inner?.Invoke(context);
        });
    }

    static partial void MapBasic(WebApplication app)
    {
        app.MapGet("/basic/authkit-pbkdf2", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        app.MapGet("/basic/idunno-pbkdf2", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
        app.MapGet("/basic/plain", (ClaimsPrincipal user) => user.Identity!.IsAuthenticated ? "ok" : "anonymous").RequireAuthorization();
    }
}

/// <summary>The bench user and the two checks every Basic variant shares.</summary>
internal static class BenchBasicUser
{
    private const string UserName = "bench-user";
    private const string Password = "correct horse battery staple";
    private static readonly Pbkdf2PasswordHasher s_hasher = new();
    private static readonly string s_hash = s_hasher.HashPassword(Password);

    public static ClaimsPrincipal? CheckHashed(string userName, string password) =>
        userName == UserName && s_hasher.VerifyPassword(s_hash, password) != PasswordVerificationOutcome.Failed ? Principal(userName) : null;

    public static ClaimsPrincipal? CheckPlain(string userName, string password) =>
        userName == UserName && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Password)) ? Principal(userName) : null;

    private static ClaimsPrincipal Principal(string userName) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userName), new Claim(ClaimTypes.Name, userName)], "Basic"));
}

internal sealed class BenchBasicHashedValidator : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(BenchBasicUser.CheckHashed(context.UserName, context.Password));
}

internal sealed class BenchBasicPlainValidator : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(BenchBasicUser.CheckPlain(context.UserName, context.Password));
}
