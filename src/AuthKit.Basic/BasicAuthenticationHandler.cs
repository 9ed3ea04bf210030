using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using AuthKit.Basic.Internal;
using AuthKit.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static AuthKit.Basic.Internal.BasicSchemeRuntime;

namespace AuthKit.Basic;

/// <summary>
/// The HTTP Basic scheme (RFC 7617). Reads <c>Authorization: Basic</c>; serves credentials from the verified-credential cache when
/// the <see cref="ICredentialThrottle"/> does not throttle their user for this client; otherwise reserves an attempt with the
/// throttle and asks the <see cref="IBasicCredentialValidator"/>.
/// </summary>
/// <remarks>
/// Status codes on challenge: 401 with <c>WWW-Authenticate: Basic realm="…", charset="UTF-8"</c> for missing or wrong credentials,
/// 400 for a malformed Basic header, 429 with <c>Retry-After</c> when throttled, 403 over plain HTTP (outside Development on
/// loopback, unless <see cref="AuthKitOptions.AllowInsecureHttp"/>), 503 when the throttle's shared store fails.
/// Register it with <c>AddAuthentication().AddBasic&lt;TValidator&gt;()</c>, or with <c>AddScheme</c> beside <c>AddAuthKit()</c>
/// and an <see cref="IBasicCredentialValidator"/> in DI.
/// </remarks>
public sealed class BasicAuthenticationHandler : AuthenticationHandler<BasicAuthenticationOptions>
{
    private const string InsecureTransportMessage = "HTTP Basic authentication is refused over plain HTTP. Use HTTPS.";

    private BasicAuthenticationFailure _failure;
    private CredentialThrottleStatus _throttled;

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
        var runtime = Runtime();
        var kind = BasicCredentialParser.FindToken(Request.Headers.Authorization, Options.MaxHeaderLength, out var header, out var tokenStart, out var reason);
        if (kind == BasicHeaderKind.None)
        {
            runtime.Attempt(Scheme.Name, "none");
            return AuthenticateResult.NoResult();
        }

        if (!IsTransportAcceptable(runtime))
        {
            Logger.InsecureTransport();
            return await FailAsync(runtime, BasicAuthenticationFailure.InsecureTransport, "Basic credentials over plain HTTP", null).ConfigureAwait(false);
        }

        if (kind == BasicHeaderKind.Malformed)
        {
            return await MalformedAsync(runtime, reason!).ConfigureAwait(false);
        }

        var cacheOn = Options.CredentialCacheLifetime > TimeSpan.Zero;
        var buffer = Decode(header, tokenStart, out var written);
        string userName, password;
        BasicCredentialCacheKey cacheKey = default;
        try
        {
            if (written < 0)
            {
                return await MalformedAsync(runtime, "invalid base64").ConfigureAwait(false);
            }

            if (cacheOn)
            {
                // A MAC of the exact bytes the client sent (user ":" password): a hit skips decoding, as those bytes were accepted before.
                cacheKey = ComputeKey(runtime, buffer, written);
                var cached = await runtime.Cache.GetAsync(Scheme.Name, cacheKey, Context.RequestAborted).ConfigureAwait(false);
                if (cached is not null && cached.ExpiresAt > TimeProvider.GetUtcNow())
                {
                    return await ServeVerifiedAsync(runtime, cached.UserName, cached.Principal).ConfigureAwait(false);
                }
            }

            if (!BasicCredentialParser.TryDecodeCredentials(buffer.AsSpan(0, written), Options.AllowLatin1Fallback, out userName, out password, out reason))
            {
                return await MalformedAsync(runtime, reason!).ConfigureAwait(false);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return cacheOn
            ? await ValidateCoalescedAsync(runtime, userName, password, cacheKey).ConfigureAwait(false)
            : (await ValidateAsync(runtime, userName, password, cacheOn, cacheKey).ConfigureAwait(false)).Result;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var failure = IsTransportAcceptable(Runtime()) ? _failure : BasicAuthenticationFailure.InsecureTransport;
        var context = new BasicChallengeContext(Context, Scheme, Options, properties)
        {
            Failure = failure,
            AuthenticateFailure = result?.Failure,
            RetryAfter = failure is BasicAuthenticationFailure.Throttled or BasicAuthenticationFailure.ThrottleUnavailable ? _throttled.RetryAfter : null,
        };
        await Events.Challenge(context).ConfigureAwait(false);
        if (context.Handled)
        {
            return;
        }

        switch (failure)
        {
            case BasicAuthenticationFailure.InsecureTransport:
                // Never invite a client to send a password in clear text.
                Response.StatusCode = StatusCodes.Status403Forbidden;
                Response.ContentType = "text/plain; charset=utf-8";
                await Response.WriteAsync(InsecureTransportMessage, Context.RequestAborted).ConfigureAwait(false);
                break;
            case BasicAuthenticationFailure.MalformedCredentials:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case BasicAuthenticationFailure.Throttled:
                _throttled.ApplyTo(Response);
                break;
            case BasicAuthenticationFailure.ThrottleUnavailable:
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Response.Headers.RetryAfter = _throttled.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Basic realm=\"{Options.Realm}\", charset=\"UTF-8\"");
                break;
        }
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var context = new BasicForbiddenContext(Context, Scheme, Options, properties);
        await Events.Forbidden(context).ConfigureAwait(false);
        if (!context.Handled)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    /// <summary>
    /// AuthKit's one rule for plain HTTP, shared with the cookies and sessions: only in the Development environment from a loopback
    /// address, or everywhere with <c>AuthKit:AllowInsecureHttp</c>. No address (a Unix socket, an in-process server) is not local,
    /// and the <c>Host</c> header never decides. A refusal is logged by this handler (<c>BasicInsecureTransport</c>).
    /// </summary>
    private bool IsTransportAcceptable(BasicSchemeRuntime runtime) =>
        runtime.Transport.Decide(Context, logRefusal: false) != PlainHttpDecision.Refused;

    private BasicSchemeRuntime Runtime()
    {
        var options = Options;
        return Volatile.Read(ref options.Runtime)
            ?? Interlocked.CompareExchange(ref options.Runtime, BasicSchemeRuntime.Create(Context.RequestServices), null)
            ?? options.Runtime!;
    }

    /// <summary>
    /// Credentials verified before (cached, or checked by a request that arrived with the same ones): served only when the throttle
    /// does not refuse their user for this client, so a throttled guesser never learns that a guess was right.
    /// </summary>
    private async Task<AuthenticateResult> ServeVerifiedAsync(BasicSchemeRuntime runtime, string userName, ClaimsPrincipal principal)
    {
        if (await CheckThrottleAsync(runtime, userName).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        Logger.CacheHit();
        runtime.Attempt(Scheme.Name, "success");
        return AuthenticateResult.Success(new AuthenticationTicket(Copy(principal), Scheme.Name));
    }

    private async Task<AuthenticateResult?> CheckThrottleAsync(BasicSchemeRuntime runtime, string userName)
    {
        CredentialThrottleStatus status;
        try
        {
            status = await runtime.Throttle.CheckAsync(userName, Context, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            return await ThrottleUnavailableAsync(runtime, userName, ex).ConfigureAwait(false);
        }

        return status.IsThrottled ? await ThrottledAsync(runtime, userName, status).ConfigureAwait(false) : null;
    }

    /// <summary>Identical credentials arriving together (a browser loading a page) are checked once; the others wait for that check.</summary>
    private async Task<AuthenticateResult> ValidateCoalescedAsync(BasicSchemeRuntime runtime, string userName, string password, BasicCredentialCacheKey cacheKey)
    {
        var mine = new TaskCompletionSource<Flight>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = runtime.Flights.GetOrAdd(cacheKey, mine.Task);
        if (flight != mine.Task)
        {
            var done = await flight.WaitAsync(Context.RequestAborted).ConfigureAwait(false);
            switch (done.Outcome)
            {
                case FlightOutcome.Valid:
                    return await ServeVerifiedAsync(runtime, done.UserName, done.Principal!).ConfigureAwait(false);
                case FlightOutcome.Invalid:
                    // The same bytes were just refused and counted once; the answer stands, unless this client is throttled.
                    if (await CheckThrottleAsync(runtime, userName).ConfigureAwait(false) is { } refused)
                    {
                        return refused;
                    }

                    Logger.InvalidCredentials(userName);
                    return await FailAsync(runtime, BasicAuthenticationFailure.InvalidCredentials, "Invalid user name or password", userName).ConfigureAwait(false);
                default:
                    return (await ValidateAsync(runtime, userName, password, cacheOn: true, cacheKey).ConfigureAwait(false)).Result;
            }
        }

        var outcome = new Flight(FlightOutcome.Undecided, userName, null);
        try
        {
            var (result, decided) = await ValidateAsync(runtime, userName, password, cacheOn: true, cacheKey).ConfigureAwait(false);
            outcome = decided;
            return result;
        }
        finally
        {
            mine.TrySetResult(outcome);
            runtime.Flights.TryRemove(new KeyValuePair<BasicCredentialCacheKey, Task<Flight>>(cacheKey, mine.Task));
        }
    }

    /// <summary>Reserves an attempt with the throttle, asks the events then the validator, and records the outcome.</summary>
    private async Task<(AuthenticateResult Result, Flight Outcome)> ValidateAsync(BasicSchemeRuntime runtime, string userName, string password, bool cacheOn, BasicCredentialCacheKey cacheKey)
    {
        var undecided = new Flight(FlightOutcome.Undecided, userName, null);
        CredentialThrottleLease lease;
        try
        {
            lease = await runtime.Throttle.TryAcquireAsync(userName, Context, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreException ex)
        {
            return (await ThrottleUnavailableAsync(runtime, userName, ex).ConfigureAwait(false), undecided);
        }

        await using (lease.ConfigureAwait(false))
        {
            if (!lease.IsAcquired)
            {
                return (await ThrottledAsync(runtime, userName, lease.Status).ConfigureAwait(false), undecided);
            }

            var startedAt = TimeProvider.GetUtcNow();
            ClaimsPrincipal? principal;
            var validate = new BasicValidateCredentialsContext(Context, Scheme, Options, userName, password);
            await Events.ValidateCredentials(validate).ConfigureAwait(false);
            if (validate.Result is { } decided)
            {
                if (decided.None)
                {
                    return (decided, undecided);
                }

                principal = decided.Succeeded ? decided.Principal : null;
            }
            else
            {
                try
                {
                    var context = new BasicCredentialValidationContext { HttpContext = Context, Scheme = Scheme, UserName = userName, Password = password };
                    principal = await ResolveValidator().ValidateAsync(context, Context.RequestAborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && Context.RequestAborted.IsCancellationRequested))
                {
                    // Not counted: nothing was learnt about the password. The slot is released when the lease is disposed.
                    Logger.ValidatorFailed(userName, ex);
                    runtime.Attempt(Scheme.Name, "error");
                    var failed = new BasicAuthenticationFailedContext(Context, Scheme, Options, BasicAuthenticationFailure.ValidatorError) { UserName = userName, Exception = ex };
                    await Events.AuthenticationFailed(failed).ConfigureAwait(false);
                    if (failed.Result is not null)
                    {
                        return (failed.Result, undecided);
                    }

                    throw;
                }
            }

            try
            {
                // Recorded whatever the request's fate: a client that hangs up after its guess still has it counted.
                if (principal is null)
                {
                    await lease.RecordFailureAsync(CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await lease.RecordSuccessAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (SessionStoreException ex)
            {
                // Answered alike for right and wrong passwords, so an outage is no oracle.
                return (await ThrottleUnavailableAsync(runtime, userName, ex).ConfigureAwait(false), undecided);
            }

            if (principal is null)
            {
                Logger.InvalidCredentials(userName);
                var failure = await FailAsync(runtime, BasicAuthenticationFailure.InvalidCredentials, "Invalid user name or password", userName).ConfigureAwait(false);
                return (failure, new Flight(FlightOutcome.Invalid, userName, null));
            }

            if (cacheOn)
            {
                var entry = new BasicCredentialCacheEntry
                {
                    UserName = userName,
                    Principal = principal,
                    ExpiresAt = TimeProvider.GetUtcNow() + Options.CredentialCacheLifetime,
                    ValidationStartedAt = startedAt,
                };
                if (!await runtime.Cache.SetAsync(Scheme.Name, cacheKey, entry, Context.RequestAborted).ConfigureAwait(false))
                {
                    Logger.CacheRaced();
                }
            }

            Logger.Validated(userName);
            runtime.Attempt(Scheme.Name, "success");

            // The cache (and any request that waited on this one) keeps the validator's instance; each request gets its own copy.
            var ticket = new AuthenticationTicket(cacheOn ? Copy(principal) : principal, Scheme.Name);
            return (AuthenticateResult.Success(ticket), new Flight(FlightOutcome.Valid, userName, principal));
        }
    }

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

    private IBasicCredentialValidator ResolveValidator()
    {
        var type = Options.ValidatorType ?? typeof(IBasicCredentialValidator);
        return Context.RequestServices.GetService(type) as IBasicCredentialValidator ?? throw new InvalidOperationException(
            $"The Basic scheme '{Scheme.Name}' has no credential validator: register an IBasicCredentialValidator, or add the scheme with AddBasic<TValidator>().");
    }

    /// <summary>Decodes the token into a pooled buffer (the caller zeroes and returns it); <paramref name="written"/> is -1 for bad base64.</summary>
    private static byte[] Decode(string header, int tokenStart, out int written)
    {
        var token = header.AsSpan(tokenStart).TrimEnd(' ');
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, BasicCredentialParser.MaxDecodedLength(token.Length)));
        if (!BasicCredentialParser.TryDecodeStrict(token, buffer, out written))
        {
            written = -1;
        }

        return buffer;
    }

    private static BasicCredentialCacheKey ComputeKey(BasicSchemeRuntime runtime, byte[] buffer, int written)
    {
        Span<byte> mac = stackalloc byte[AuthKitKey.MacLength];
        runtime.CacheMac.Compute(buffer.AsSpan(0, written), mac);
        return new BasicCredentialCacheKey(mac);
    }

    private Task<AuthenticateResult> MalformedAsync(BasicSchemeRuntime runtime, string reason)
    {
        Logger.Malformed(reason);
        return FailAsync(runtime, BasicAuthenticationFailure.MalformedCredentials, "Malformed Basic credentials: " + reason, null);
    }

    private Task<AuthenticateResult> ThrottledAsync(BasicSchemeRuntime runtime, string userName, CredentialThrottleStatus status)
    {
        _throttled = status;
        Logger.Throttled(userName, status.Limit, status.RetryAfterSeconds);
        return FailAsync(runtime, BasicAuthenticationFailure.Throttled, "Too many failed attempts", userName, status.RetryAfter, status.Limit);
    }

    private Task<AuthenticateResult> ThrottleUnavailableAsync(BasicSchemeRuntime runtime, string userName, SessionStoreException exception)
    {
        _throttled = new CredentialThrottleStatus(CredentialThrottleLimit.Capacity, TimeSpan.FromSeconds(1));
        Logger.ThrottleUnavailable(exception);
        return FailAsync(runtime, BasicAuthenticationFailure.ThrottleUnavailable, "The credential throttle is unavailable", userName, exception: exception);
    }

    private async Task<AuthenticateResult> FailAsync(BasicSchemeRuntime runtime, BasicAuthenticationFailure failure, string message, string? userName,
        TimeSpan? retryAfter = null, CredentialThrottleLimit limit = CredentialThrottleLimit.None, Exception? exception = null)
    {
        _failure = failure;
        runtime.Attempt(Scheme.Name, failure switch
        {
            BasicAuthenticationFailure.Throttled => "throttled",
            BasicAuthenticationFailure.ThrottleUnavailable => "error",
            _ => "failure",
        });
        var context = new BasicAuthenticationFailedContext(Context, Scheme, Options, failure)
        {
            UserName = userName,
            RetryAfter = retryAfter,
            ThrottleLimit = limit,
            Exception = exception,
        };
        await Events.AuthenticationFailed(context).ConfigureAwait(false);
        if (context.Result is { } replaced)
        {
            if (replaced.Failure is null)
            {
                _failure = BasicAuthenticationFailure.None;
            }

            return replaced;
        }

        return AuthenticateResult.Fail(message);
    }
}
