using System.Net;
using System.Security.Claims;
using AuthKit.Basic;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using IdunnoEvents = idunno.Authentication.Basic.BasicAuthenticationEvents;

namespace AuthKit.Benchmarks.Basic;

/// <summary>
/// What one Basic request pays to authenticate: a fresh DI scope and <c>HttpContext</c>, then <c>AuthenticateAsync(scheme)</c>, as the
/// authentication middleware does. Contenders, all with the same user and the same checks (<see cref="BasicBenchUsers"/>):
/// <list type="bullet">
/// <item>AuthKit, PBKDF2-600k validator, verified-credential cache on (the target: within 1.2x of the baseline);</item>
/// <item>AuthKit, plain-comparison validator, cache off (baseline: the handler with a free validator);</item>
/// <item>idunno.Authentication.Basic with the same plain check, and with the same PBKDF2-600k check (it has no cache).</item>
/// </list>
/// </summary>
/// <remarks>dotnet run -c Release --project benchmarks/AuthKit.Benchmarks -- --filter '*BasicAuthenticate*'</remarks>
[Config(typeof(AuthKitBenchConfig))]
public class BasicAuthenticateBenchmarks
{
    private const string AuthKitHashed = "Basic";
    private const string AuthKitPlain = "BasicPlain";
    private const string IdunnoHashed = "IdunnoHashed";
    private const string IdunnoPlain = "IdunnoPlain";

    private ServiceProvider _authKit = null!;
    private ServiceProvider _idunno = null!;

    [GlobalSetup]
    public void Setup()
    {
        var authKit = new ServiceCollection();
        authKit.AddLogging(b => b.ClearProviders());
        authKit.AddAuthKit(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "bench", Secret = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()) }))
            .AddBasic<BenchHashedValidator>(AuthKitHashed, o => o.CredentialCacheLifetime = TimeSpan.FromHours(1))
            .AddBasic<BenchPlainValidator>(AuthKitPlain, o => o.CredentialCacheLifetime = TimeSpan.Zero);
        _authKit = authKit.BuildServiceProvider();

        var idunno = new ServiceCollection();
        idunno.AddLogging(b => b.ClearProviders());
        idunno.AddAuthentication()
            .AddBasic(IdunnoHashed, o => o.Events = IdunnoEventsFor(BasicBenchUsers.CheckHashed))
            .AddBasic(IdunnoPlain, o => o.Events = IdunnoEventsFor(BasicBenchUsers.CheckPlain));
        _idunno = idunno.BuildServiceProvider();

        // Every contender must actually authenticate; a benchmark of a refusal measures nothing. This also fills AuthKit's cache.
        foreach (var (provider, scheme) in new[] { (_authKit, AuthKitHashed), (_authKit, AuthKitPlain), (_idunno, IdunnoHashed), (_idunno, IdunnoPlain) })
        {
            if (AuthenticateAsync(provider, scheme).GetAwaiter().GetResult() is null)
            {
                throw new InvalidOperationException($"{scheme} refused the benchmark credentials: fix the set-up.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _authKit.Dispose();
        _idunno.Dispose();
    }

    [Benchmark(Baseline = true, Description = "AuthKit, plain compare, no cache")]
    public Task<ClaimsPrincipal?> AuthKit_plain() => AuthenticateAsync(_authKit, AuthKitPlain);

    [Benchmark(Description = "AuthKit, PBKDF2-600k, cache on")]
    public Task<ClaimsPrincipal?> AuthKit_pbkdf2_cached() => AuthenticateAsync(_authKit, AuthKitHashed);

    [Benchmark(Description = "idunno, plain compare")]
    public Task<ClaimsPrincipal?> Idunno_plain() => AuthenticateAsync(_idunno, IdunnoPlain);

    [Benchmark(Description = "idunno, PBKDF2-600k")]
    public Task<ClaimsPrincipal?> Idunno_pbkdf2() => AuthenticateAsync(_idunno, IdunnoHashed);

    private static async Task<ClaimsPrincipal?> AuthenticateAsync(ServiceProvider provider, string scheme)
    {
        var scope = provider.CreateAsyncScope();
        await using var _ = scope.ConfigureAwait(false);
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("api.bench.test");
        context.Request.Path = "/basic";
        context.Request.Headers.Authorization = BasicBenchUsers.Header;
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.10");
        var result = await context.AuthenticateAsync(scheme).ConfigureAwait(false);
        return result.Principal;
    }

    private static IdunnoEvents IdunnoEventsFor(Func<string, string, ClaimsPrincipal?> check) => new()
    {
        OnValidateCredentials = context =>
        {
            if (check(context.Username, context.Password) is { } principal)
            {
                context.Principal = principal;
                context.Success();
            }

            return Task.CompletedTask;
        },
    };
}
