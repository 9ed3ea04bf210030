using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using AuthKit.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Internal;

/// <summary>
/// What one Basic scheme shares across requests: the services it uses (resolved through their interfaces, so a replacement is the
/// one used), the cache's HMAC, and the validations in flight (identical credentials arriving together are checked once).
/// </summary>
internal sealed class BasicSchemeRuntime
{
    private BasicSchemeRuntime(IBasicCredentialCache cache, ICredentialThrottle throttle, CredentialMac cacheMac, AuthKitMetrics? metrics, AuthKitTransportSecurity transport)
    {
        Cache = cache;
        Throttle = throttle;
        CacheMac = cacheMac;
        Metrics = metrics;
        Transport = transport;
    }

    public IBasicCredentialCache Cache { get; }

    public ICredentialThrottle Throttle { get; }

    public CredentialMac CacheMac { get; }

    public AuthKitMetrics? Metrics { get; }

    /// <summary>AuthKit's one decision on plain HTTP (<c>AuthKit:AllowInsecureHttp</c>, or Development with a loopback client).</summary>
    public AuthKitTransportSecurity Transport { get; }

    public ConcurrentDictionary<BasicCredentialCacheKey, Task<Flight>> Flights { get; } = new();

    public static BasicSchemeRuntime Create(IServiceProvider services)
    {
        var throttle = services.GetService<ICredentialThrottle>();
        var keyRing = services.GetService<IAuthKitKeyRing>();
        var transport = services.GetService<AuthKitTransportSecurity>();
        if (throttle is null || keyRing is null || transport is null)
        {
            throw new InvalidOperationException(
                "AuthKit.Basic needs AuthKit's core services (the key ring, the credential throttle, the transport rules): call services.AddAuthKit(), or register the scheme with AddAuthentication().AddBasic<TValidator>(), which does it for you.");
        }

        // Registered by AddBasic; a scheme added with AddScheme alone gets a private one (InvalidateUser then needs AddBasic).
        var cache = services.GetService<IBasicCredentialCache>() ?? new BasicCredentialCache(
            services.GetRequiredService<IOptionsMonitor<BasicAuthenticationOptions>>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<BasicCredentialCache>>());
        return new BasicSchemeRuntime(
            cache,
            throttle,
            new CredentialMac(keyRing.ForPurpose(BasicPurposes.CredentialCache)),
            services.GetService<AuthKitMetrics>(),
            transport);
    }

    public void Attempt(string scheme, string result) => Metrics?.AuthenticationAttempt(scheme, result);

    /// <summary>How a validation of one set of credentials ended, for the requests that waited on it.</summary>
    internal sealed record Flight(FlightOutcome Outcome, string UserName, ClaimsPrincipal? Principal);

    internal enum FlightOutcome
    {
        /// <summary>Not decided (throttled, an error, or decided by an event): waiters go their own way.</summary>
        Undecided = 0,
        Valid = 1,
        Invalid = 2,
    }
}
