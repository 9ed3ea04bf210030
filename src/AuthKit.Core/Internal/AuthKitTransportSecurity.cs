using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>
/// The one place AuthKit decides whether a plain-HTTP request may be served insecurely (cookies without <c>Secure</c>, the
/// session cookie without its prefix, Basic credentials accepted): only in the <c>Development</c> environment for a loopback
/// TCP peer, or when <see cref="AuthKitOptions.AllowInsecureHttp"/> says so. The <c>Host</c> header never decides, and a request
/// without a remote address (a Unix socket, an in-memory server) is never local.
/// </summary>
/// <remarks>Each outcome other than HTTPS is logged once per process, so the choice is visible without flooding the log.</remarks>
internal sealed class AuthKitTransportSecurity
{
    private readonly IOptionsMonitor<AuthKitOptions> _options;
    private readonly ILogger _logger;
    private readonly bool _isDevelopment;
    private int _loggedDevelopment;
    private int _loggedInsecure;
    private int _loggedRefused;

    public AuthKitTransportSecurity(IOptionsMonitor<AuthKitOptions> options, ILoggerFactory loggerFactory)
        : this(options, loggerFactory, environment: null)
    {
    }

    public AuthKitTransportSecurity(IOptionsMonitor<AuthKitOptions> options, ILoggerFactory loggerFactory, IHostEnvironment? environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _logger = loggerFactory.CreateLogger("AuthKit.Transport");
        _isDevelopment = environment?.IsDevelopment() == true;
    }

    /// <summary>Decides for one request; logs the first occurrence of each plain-HTTP outcome.</summary>
    public PlainHttpDecision Decide(HttpContext context) => Decide(context, logRefusal: true);

    /// <summary>
    /// Decides for one request; <paramref name="logRefusal"/> <see langword="false"/> leaves a refusal to the caller's own log line
    /// (the cookie-centred refusal message does not fit a Basic request).
    /// </summary>
    public PlainHttpDecision Decide(HttpContext context, bool logRefusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsHttps)
        {
            return PlainHttpDecision.Https;
        }

        if (_options.CurrentValue.AllowInsecureHttp)
        {
            if (Interlocked.Exchange(ref _loggedInsecure, 1) == 0)
            {
                _logger.PlainHttpAllowedByInsecureSetting();
            }

            return PlainHttpDecision.AllowedByInsecureSetting;
        }

        if (_isDevelopment && IsLoopback(context.Connection.RemoteIpAddress))
        {
            if (Interlocked.Exchange(ref _loggedDevelopment, 1) == 0)
            {
                _logger.PlainHttpAllowedForDevelopment();
            }

            return PlainHttpDecision.AllowedForDevelopment;
        }

        if (logRefusal && Interlocked.Exchange(ref _loggedRefused, 1) == 0)
        {
            _logger.PlainHttpRefused(_isDevelopment);
        }

        return PlainHttpDecision.Refused;
    }

    /// <summary>Whether plain HTTP may be served insecurely for this request (always <see langword="false"/> over HTTPS).</summary>
    public bool AllowsInsecure(HttpContext context) =>
        Decide(context) is PlainHttpDecision.AllowedForDevelopment or PlainHttpDecision.AllowedByInsecureSetting;

    /// <summary>A loopback TCP peer. <see langword="null"/> (no peer: a Unix socket, an in-memory server) is never loopback.</summary>
    public static bool IsLoopback(IPAddress? address) =>
        address is not null
        && (IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4())));
}
