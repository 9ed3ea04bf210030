using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using AuthKit.Cookies.Internal;
using AuthKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// The session scheme's shared machinery: store calls with a timeout (failures become <see cref="SessionStoreUnavailableException"/>,
/// logged at most once per interval), the cookie signer, the per-user quota, and the per-request <see cref="AuthKitSession"/>.
/// </summary>
internal sealed class SessionRuntime
{
    private readonly IOptionsMonitor<SessionAuthenticationOptions> _options;
    private readonly IAuthKitKeyRing _keyRing;
    private readonly AuthKitTransportSecurity _transport;
    private AuthKitCookieSigner? _signer;
    private readonly LogGate _failureLog = new();
    private int _warnedDetachedWrite;
    private int _warnedNoLoginPath;
    private (string Name, string Unprefixed) _unprefixed = (string.Empty, string.Empty);
    private TimeoutSlot? _timeoutSlot;

    public SessionRuntime(
        SessionSchemeMarker scheme,
        ISessionStore store,
        IAuthKitKeyRing keyRing,
        TimeProvider time,
        IOptionsMonitor<SessionAuthenticationOptions> options,
        AuthKitTransportSecurity transport,
        ILoggerFactory loggerFactory,
        AuthKitMetrics metrics)
    {
        SchemeName = scheme.Name;
        Store = store;
        _keyRing = keyRing;
        Time = time;
        _options = options;
        _transport = transport;
        Logger = loggerFactory.CreateLogger("AuthKit.Sessions");
        Metrics = metrics;
    }

    /// <summary>The session scheme's name (<see cref="SessionAuthenticationDefaults.AuthenticationScheme"/> unless the app chose another).</summary>
    public string SchemeName { get; }

    public ISessionStore Store { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public AuthKitMetrics Metrics { get; }

    /// <summary>The per-session request locks (<see cref="SessionAuthenticationOptions.SerializeRequests"/>).</summary>
    public SessionRequestLocks Locks { get; } = new();

    public SessionAuthenticationOptions Options => _options.Get(SchemeName);

    public AuthKitCookieSigner Signer => _signer ??= new AuthKitCookieSigner(_keyRing, SessionAuthenticationDefaults.CookiePurpose);

    /// <summary>The request's session, kept in the <see cref="ISessionFeature"/> slot (servers give that slot a fixed field: no allocation).</summary>
    public static AuthKitSession? FindSession(HttpContext context) => context.Features.Get<ISessionFeature>() as AuthKitSession;

    public AuthKitSession GetSession(HttpContext context)
    {
        var session = FindSession(context);
        if (session is null)
        {
            session = new AuthKitSession(this, context, Options);
            context.Features.Set<ISessionFeature>(session);
        }

        return session;
    }

    /// <summary>A cheap first look (no allocation): whether the request may carry the session cookie; the load reads it exactly.</summary>
    public bool MayCarrySessionCookie(HttpContext context, SessionAuthenticationOptions options) =>
        SessionCookieReader.Carries(context.Request, ResolveCookie(context, options).Name);

    public string? GetUserId(ClaimsPrincipal principal, SessionAuthenticationOptions options)
    {
        var value = PrincipalReader.FindFirst(principal, options.UserIdClaimType)?.Value;
        return string.IsNullOrEmpty(value) ? principal.Identity?.Name : value;
    }

    /// <summary>
    /// The user a request speaks for, in the session scheme's terms: <see langword="null"/> for an anonymous request, the user ID
    /// otherwise (an empty string when an authenticated principal has none, which matches no session).
    /// </summary>
    public string? GetRequestUserId(ClaimsPrincipal? user, SessionAuthenticationOptions options)
    {
        if (user is null || !PrincipalReader.IsAuthenticated(user))
        {
            return null;
        }

        return GetUserId(user, options) ?? string.Empty;
    }

    /// <summary>Reads the session key from the cookie's value (checking its signature when signed) without allocating.</summary>
    public bool TryReadKey(ReadOnlySpan<char> raw, SessionAuthenticationOptions options, out SessionKey key)
    {
        var id = raw;
        if (options.SignCookie && !Signer.TryUnprotect(raw, out id))
        {
            key = default;
            return false;
        }

        if (!SessionIds.IsWellFormed(id))
        {
            key = default;
            return false;
        }

        key = SessionKey.FromSessionId(id);
        return true;
    }

    public string ProtectId(string id, SessionAuthenticationOptions options) => options.SignCookie ? Signer.Sign(id) : id;

    /// <summary>
    /// The cookie's name and Secure flag for this request. Plain HTTP keeps the <c>__Host-</c> name and <c>Secure</c> unless
    /// <see cref="AuthKitTransportSecurity"/> allows it (Development with a loopback client, or <c>AuthKit:AllowInsecureHttp</c>).
    /// </summary>
    public CookieTarget ResolveCookie(HttpContext context, SessionAuthenticationOptions options)
    {
        var cookie = options.Cookie;
        var name = cookie.Name!;
        if (context.Request.IsHttps)
        {
            return new CookieTarget(name, cookie.SecurePolicy != CookieSecurePolicy.None);
        }

        if (cookie.SecurePolicy != CookieSecurePolicy.Always)
        {
            return new CookieTarget(name, false);
        }

        return _transport.AllowsInsecure(context) ? new CookieTarget(Unprefixed(name), false) : new CookieTarget(name, true);
    }

    /// <summary>A value was written to <c>HttpContext.Session</c> on a request that speaks for another user (logged once).</summary>
    public void WarnDetachedWrite()
    {
        if (Interlocked.Exchange(ref _warnedDetachedWrite, 1) == 0)
        {
            Logger.SessionWriteForAnotherUser();
        }
    }

    /// <summary>A challenge answered 401 because no login path is set (logged once).</summary>
    public void NoteNoLoginPath()
    {
        if (Interlocked.Exchange(ref _warnedNoLoginPath, 1) == 0)
        {
            Logger.SessionChallengeWithoutLoginPath();
        }
    }

    /// <summary>
    /// Keeps a user at <see cref="SessionAuthenticationOptions.MaxSessionsPerUser"/> live sessions after a sign-in created
    /// <paramref name="created"/>: the sessions seen least recently are ended. Returns how many were ended.
    /// </summary>
    public async Task<int> EnforceQuotaAsync(string userId, SessionKey created, SessionAuthenticationOptions options)
    {
        var records = await ListAsync(userId, options, CancellationToken.None).ConfigureAwait(false);
        var now = Time.GetUtcNow();
        var others = new List<SessionRecord>(records.Count);
        foreach (var r in records)
        {
            if (r.Kind == SessionRecordKind.Session && !r.IsExpired(now) && r.Key != created && string.Equals(r.UserId, userId, StringComparison.Ordinal))
            {
                others.Add(r);
            }
        }

        var excess = others.Count + 1 - options.MaxSessionsPerUser;
        if (excess <= 0)
        {
            return 0;
        }

        others.Sort(static (a, b) => a.LastSeenAt != b.LastSeenAt ? a.LastSeenAt.CompareTo(b.LastSeenAt) : a.CreatedAt.CompareTo(b.CreatedAt));
        var ended = 0;
        for (var i = 0; i < excess; i++)
        {
            if (await RemoveAsync(others[i].Key, options).ConfigureAwait(false))
            {
                ended++;
            }
        }

        Logger.SessionQuotaReached(created.ToString(), options.MaxSessionsPerUser, ended);
        return ended;
    }

    /// <summary>
    /// A token that fires at most <see cref="SessionAuthenticationOptions.StoreTimeout"/> from now. Calls starting within the same
    /// tenth of the timeout share one token, so a request allocates no timer: each call gets between 90 % and 100 % of the timeout.
    /// </summary>
    public CancellationToken TimeoutToken(SessionAuthenticationOptions options)
    {
        var now = Time.GetTimestamp();
        var slot = _timeoutSlot;
        if (slot is not null && now < slot.ReuseUntil && slot.Timeout == options.StoreTimeout && !slot.Source.IsCancellationRequested)
        {
            return slot.Source.Token;
        }

        var fresh = new TimeoutSlot(
            new CancellationTokenSource(options.StoreTimeout, Time),
            now + (long)(options.StoreTimeout.TotalSeconds / 10 * Time.TimestampFrequency),
            options.StoreTimeout);
        _timeoutSlot = fresh;
        return fresh.Source.Token;
    }

    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, SessionAuthenticationOptions options, CancellationToken cancellationToken = default)
    {
        using var linked = Link(options, cancellationToken, out var token);
        try
        {
            return await Bounded(Store.GetAsync(key, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Failure("read", ex, options);
        }
    }

    public async ValueTask<bool> CreateAsync(SessionRecord record, SessionAuthenticationOptions options, CancellationToken cancellationToken = default)
    {
        using var linked = Link(options, cancellationToken, out var token);
        try
        {
            return await Bounded(Store.CreateAsync(record, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Failure("create", ex, options);
        }
    }

    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, SessionAuthenticationOptions options, CancellationToken cancellationToken = default)
    {
        using var linked = Link(options, cancellationToken, out var token);
        try
        {
            return await Bounded(Store.UpdateAsync(record, expectedVersion, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Failure("update", ex, options);
        }
    }

    public async ValueTask<bool> RemoveAsync(SessionKey key, SessionAuthenticationOptions options, CancellationToken cancellationToken = default)
    {
        using var linked = Link(options, cancellationToken, out var token);
        try
        {
            return await Bounded(Store.RemoveAsync(key, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Failure("remove", ex, options);
        }
    }

    public async ValueTask<int> RemoveByUserAsync(string userId, SessionAuthenticationOptions options, CancellationToken cancellationToken = default)
    {
        using var linked = Link(options, cancellationToken, out var token);
        try
        {
            return await Bounded(Store.RemoveByUserAsync(userId, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Failure("remove-by-user", ex, options);
        }
    }

    public async Task<List<SessionRecord>> ListAsync(string userId, SessionAuthenticationOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var deadline = new CancellationTokenSource(options.StoreTimeout, Time);
        using var link = deadline.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        var list = new List<SessionRecord>();
        try
        {
            var enumerator = Store.ListByUserAsync(userId, timeout.Token).GetAsyncEnumerator(timeout.Token);
            var finished = false;
            try
            {
                while (await Bounded(enumerator.MoveNextAsync(), timeout.Token).ConfigureAwait(false))
                {
                    list.Add(enumerator.Current);
                }

                finished = true;
            }
            finally
            {
                if (finished)
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Failure("list", ex, options);
        }

        return list;
    }

    /// <summary>The store-call token: the shared timeout, linked with the caller's token when it can fire.</summary>
    private CancellationTokenSource? Link(SessionAuthenticationOptions options, CancellationToken cancellationToken, out CancellationToken token)
    {
        var timeout = TimeoutToken(options);
        if (!cancellationToken.CanBeCanceled)
        {
            token = timeout;
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout, cancellationToken);
        token = linked.Token;
        return linked;
    }

    /// <summary>The <c>Retry-After</c> of a 503 for a store that failed or stalled, as <c>UseAuthKit()</c>'s own 503 answers it.</summary>
    public const string RetryAfterSeconds = "1";

    public void WriteUnavailable(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
    }

    private SessionStoreUnavailableException Failure(string operation, Exception exception, SessionAuthenticationOptions options)
    {
        if (exception is SessionStoreUnavailableException unavailable)
        {
            return unavailable;
        }

        if (_failureLog.TryPass(Time.GetUtcNow(), options.StoreErrorLogInterval, out var suppressed))
        {
            var reason = exception is OperationCanceledException or TimeoutException
                ? $"no answer within AuthKit:Sessions:StoreTimeout ({options.StoreTimeout.TotalMilliseconds:0} ms)"
                : FailureCause.Describe(exception);
            Logger.SessionStoreFailed(operation, reason, suppressed, exception);
        }

        return new SessionStoreUnavailableException(operation, exception);
    }

    // A store that ignores its token must not hold the request past the timeout either.
    private static ValueTask<T> Bounded<T>(ValueTask<T> call, CancellationToken timeout) =>
        call.IsCompleted ? call : new ValueTask<T>(call.AsTask().WaitAsync(timeout));

    private string Unprefixed(string name)
    {
        var cached = _unprefixed;
        if (ReferenceEquals(cached.Name, name))
        {
            return cached.Unprefixed;
        }

        var unprefixed = AuthKitCookieRules.RemovePrefix(name);
        _unprefixed = (name, unprefixed);
        return unprefixed;
    }
}

/// <summary>A shared timeout token, handed to the store calls that start before <see cref="ReuseUntil"/> (a timestamp).</summary>
internal sealed record TimeoutSlot(CancellationTokenSource Source, long ReuseUntil, TimeSpan Timeout);

/// <summary>The session cookie's name and <c>Secure</c> flag for one request.</summary>
internal readonly record struct CookieTarget(string Name, bool Secure);
