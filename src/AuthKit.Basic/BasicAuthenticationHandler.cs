using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Basic;

/// <summary>
/// The HTTP Basic scheme (RFC 7617). Reads <c>Authorization: Basic</c>, answers from the verified-credential cache when it can,
/// otherwise checks the failure throttle and asks the <see cref="IBasicCredentialValidator"/>.
/// </summary>
/// <remarks>
/// Status codes on challenge: 401 with <c>WWW-Authenticate: Basic realm="…", charset="UTF-8"</c> for missing or wrong credentials,
/// 400 for a malformed Basic header, 429 with <c>Retry-After</c> when throttled, 403 over plain HTTP from a non-loopback client.
/// </remarks>
public sealed class BasicAuthenticationHandler : AuthenticationHandler<BasicAuthenticationOptions>
{
    private const int StackDecodeLimit = 512;
    private const string InsecureTransportMessage = "HTTP Basic authentication is refused over plain HTTP. Use HTTPS.";

    private BasicAuthenticationFailure? _failure;
    private TimeSpan _retryAfter;

    /// <summary>Creates the handler (the framework does, once per request).</summary>
    public BasicAuthenticationHandler(IOptionsMonitor<BasicAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    /// <summary>The events of this scheme.</summary>
    private new BasicAuthenticationEvents Events => (BasicAuthenticationEvents)base.Events!;

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new BasicAuthenticationEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var runtime = Options.Runtime ?? throw new InvalidOperationException(
            $"The Basic scheme '{Scheme.Name}' was not registered through AddBasic<TValidator>(); register it with services.AddAuthKit().AddBasic<TValidator>().");
        var kind = BasicCredentialParser.FindToken(Request.Headers.Authorization, Options.MaxHeaderLength, out var header, out var tokenStart, out var reason);
        if (kind == BasicHeaderKind.None)
        {
            runtime.Metrics.AuthenticationAttempt(Scheme.Name, "none");
            return AuthenticateResult.NoResult();
        }

        if (!IsTransportAcceptable())
        {
            Logger.InsecureTransport(BasicFailureThrottle.ClientKey(Context.Connection.RemoteIpAddress));
            return await FailAsync(runtime, BasicAuthenticationFailure.InsecureTransport, "Basic credentials over plain HTTP", null).ConfigureAwait(false);
        }

        var now = TimeProvider.GetUtcNow().UtcTicks;
        var cacheOn = Options.CredentialCacheLifetime > TimeSpan.Zero;
        string userName = string.Empty, password = string.Empty;
        CredentialCacheKey cacheKey = default;
        ClaimsPrincipal? cached = null;
        var read = kind == BasicHeaderKind.Malformed
            ? ReadOutcome.Malformed
            : Read(header, tokenStart, runtime, now, cacheOn, out cached, out userName, out password, out cacheKey, out reason);
        if (read == ReadOutcome.Malformed)
        {
            Logger.Malformed(reason!);
            return await FailAsync(runtime, BasicAuthenticationFailure.MalformedCredentials, "Malformed Basic credentials: " + reason, null).ConfigureAwait(false);
        }

        if (read == ReadOutcome.CacheHit)
        {
            Logger.CacheHit();
            runtime.Metrics.AuthenticationAttempt(Scheme.Name, "success");
            return AuthenticateResult.Success(new AuthenticationTicket(Copy(cached!), Scheme.Name));
        }

        var client = BasicFailureThrottle.ClientKey(Context.Connection.RemoteIpAddress);
        if (runtime.Throttle.Check(userName, client, now, Options) is { } wait)
        {
            _retryAfter = wait;
            Logger.Throttled(userName, client, RetryAfterSeconds(wait));
            return await FailAsync(runtime, BasicAuthenticationFailure.Throttled, "Too many failed attempts", userName, retryAfter: wait).ConfigureAwait(false);
        }

        var epoch = runtime.Cache.Epoch;
        ClaimsPrincipal? principal;
        var validate = new BasicValidateCredentialsContext(Context, Scheme, Options, userName, password);
        await Events.ValidateCredentials(validate).ConfigureAwait(false);
        if (validate.Result is { } decided)
        {
            if (decided.None)
            {
                return decided;
            }

            principal = decided.Succeeded ? decided.Principal : null;
        }
        else
        {
            try
            {
                principal = await ResolveValidator().ValidateAsync(userName, password, Context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && Context.RequestAborted.IsCancellationRequested))
            {
                Logger.ValidatorFailed(userName, ex);
                runtime.Metrics.AuthenticationAttempt(Scheme.Name, "error");
                var failed = new BasicAuthenticationFailedContext(Context, Scheme, Options, BasicAuthenticationFailure.ValidatorError) { Username = userName, Exception = ex };
                await Events.AuthenticationFailed(failed).ConfigureAwait(false);
                if (failed.Result is not null)
                {
                    return failed.Result;
                }

                throw;
            }
        }

        if (principal is null)
        {
            if (!runtime.Throttle.RecordFailure(userName, client, now, Options))
            {
                Logger.ThrottleTableFull();
            }

            Logger.InvalidCredentials(userName);
            return await FailAsync(runtime, BasicAuthenticationFailure.InvalidCredentials, "Invalid user name or password", userName).ConfigureAwait(false);
        }

        runtime.Throttle.RecordSuccess(userName);
        if (cacheOn)
        {
            var expires = now + Options.CredentialCacheLifetime.Ticks;
            if (!runtime.Cache.Add(cacheKey, userName, principal, now, expires, Options.CredentialCacheSize, epoch))
            {
                Logger.CacheRaced();
            }

            // The cache keeps the validator's instance; this request gets a copy like every later one.
            principal = Copy(principal);
        }

        Logger.Validated(userName);
        runtime.Metrics.AuthenticationAttempt(Scheme.Name, "success");
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (!IsTransportAcceptable())
        {
            // Never invite a client to send a password in clear text.
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Response.ContentType = "text/plain; charset=utf-8";
            await Response.WriteAsync(InsecureTransportMessage, Context.RequestAborted).ConfigureAwait(false);
            return;
        }

        switch (_failure)
        {
            case BasicAuthenticationFailure.MalformedCredentials:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case BasicAuthenticationFailure.Throttled:
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = RetryAfterSeconds(_retryAfter).ToString(CultureInfo.InvariantCulture);
                break;
            default:
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Basic realm=\"{Options.Realm}\", charset=\"UTF-8\"");
                break;
        }
    }

    private bool IsTransportAcceptable() =>
        Request.IsHttps || Options.AllowInsecureTransport || IsLocal(Context.Connection.RemoteIpAddress);

    // No address means an in-process transport (TestServer, a Unix socket, a named pipe): nothing crossed a network.
    private static bool IsLocal(IPAddress? remote) =>
        remote is null || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    // ClaimsPrincipal.Clone() shares its identities; a request that adds a claim must not change what the next request gets.
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal)
    {
        var identities = new List<ClaimsIdentity>(1);
        foreach (var identity in principal.Identities)
        {
            identities.Add(identity.Clone());
        }

        return new ClaimsPrincipal(identities);
    }

    private static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    private IBasicCredentialValidator ResolveValidator()
    {
        var type = Options.ValidatorType ?? typeof(IBasicCredentialValidator);
        return (IBasicCredentialValidator)Context.RequestServices.GetRequiredService(type);
    }

    /// <summary>
    /// Decodes the token, and looks the exact credential bytes up in the verified cache before turning them into strings: a hit
    /// skips the string work, as those bytes were parsed and accepted when they were cached.
    /// </summary>
    private ReadOutcome Read(string header, int tokenStart, BasicSchemeRuntime runtime, long now, bool cacheOn,
        out ClaimsPrincipal? cached, out string userName, out string password, out CredentialCacheKey cacheKey, out string? reason)
    {
        userName = password = string.Empty;
        cacheKey = default;
        cached = null;
        reason = null;
        var token = header.AsSpan(tokenStart).TrimEnd(' ');
        var max = BasicCredentialParser.MaxDecodedLength(token.Length);
        byte[]? rented = null;
        var buffer = max <= StackDecodeLimit ? stackalloc byte[StackDecodeLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var written = 0;
        try
        {
            if (!BasicCredentialParser.TryDecodeStrict(token, buffer, out written))
            {
                reason = "invalid base64";
                return ReadOutcome.Malformed;
            }

            var decoded = buffer[..written];
            if (cacheOn)
            {
                // The cache key is a MAC of the exact bytes the client sent (user ":" password), under a key derived for this purpose alone.
                Span<byte> mac = stackalloc byte[AuthKitKey.MacLength];
                runtime.CacheMac.Compute(decoded, mac);
                cacheKey = new CredentialCacheKey(mac);
                if (runtime.Cache.TryGet(cacheKey, now, out cached))
                {
                    return ReadOutcome.CacheHit;
                }
            }

            return BasicCredentialParser.TryDecodeCredentials(decoded, Options.AllowLatin1Fallback, out userName, out password, out reason)
                ? ReadOutcome.Credentials
                : ReadOutcome.Malformed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer[..Math.Min(Math.Max(written, max), buffer.Length)]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private async Task<AuthenticateResult> FailAsync(BasicSchemeRuntime runtime, BasicAuthenticationFailure failure, string message, string? userName, TimeSpan? retryAfter = null)
    {
        _failure = failure;
        runtime.Metrics.AuthenticationAttempt(Scheme.Name, failure == BasicAuthenticationFailure.Throttled ? "throttled" : "failure");
        var context = new BasicAuthenticationFailedContext(Context, Scheme, Options, failure) { Username = userName, RetryAfter = retryAfter };
        await Events.AuthenticationFailed(context).ConfigureAwait(false);
        if (context.Result is { } replaced)
        {
            if (replaced.Failure is null)
            {
                _failure = null;
            }

            return replaced;
        }

        return AuthenticateResult.Fail(message);
    }

    private enum ReadOutcome
    {
        Malformed,
        CacheHit,
        Credentials,
    }
}
