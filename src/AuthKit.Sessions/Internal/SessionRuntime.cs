using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AuthKit.Cookies;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// The session scheme's shared machinery: store calls with a timeout (failures become <see cref="SessionStoreUnavailableException"/>,
/// logged at most once per interval), the cookie signer and manager, and the per-request <see cref="AuthKitSession"/>.
/// </summary>
internal sealed class SessionRuntime
{
    private readonly IOptionsMonitor<SessionAuthenticationOptions> _options;
    private readonly IAuthKitKeyRing _keyRing;
    private AuthKitCookieSigner? _signer;
    private long _lastFailureLog;
    private long _suppressedFailures;
    private int _warnedLoopback;
    private int _warnedHttp;
    private int _warnedInsecure;
    private (string Name, string Unprefixed) _unprefixed = (string.Empty, string.Empty);
    private TimeoutSlot? _timeoutSlot;

    public SessionRuntime(
        ISessionStore store,
        IAuthKitKeyRing keyRing,
        TimeProvider time,
        IOptionsMonitor<SessionAuthenticationOptions> options,
        ILoggerFactory loggerFactory,
        AuthKitMetrics metrics)
    {
        Store = store;
        _keyRing = keyRing;
        Time = time;
        _options = options;
        Logger = loggerFactory.CreateLogger("AuthKit.Sessions");
        Metrics = metrics;
        CookieManager = new AuthKitCookieManager(loggerFactory.CreateLogger("AuthKit.Cookies"));
    }

    public ISessionStore Store { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public AuthKitMetrics Metrics { get; }

    public AuthKitCookieManager CookieManager { get; }

    /// <summary>The per-session request locks (<see cref="SessionAuthenticationOptions.SerializeRequests"/>).</summary>
    public SessionRequestLocks Locks { get; } = new();

    public SessionAuthenticationOptions Options => _options.Get(SessionAuthenticationDefaults.AuthenticationScheme);

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

    public bool HasSessionCookie(HttpContext context, SessionAuthenticationOptions options) =>
        context.Request.Cookies.ContainsKey(ResolveCookie(context, options).Name);

    public string? GetUserId(ClaimsPrincipal principal, SessionAuthenticationOptions options)
    {
        var value = principal.FindFirst(options.UserIdClaimType)?.Value;
        return string.IsNullOrEmpty(value) ? principal.Identity?.Name : value;
    }

    public bool TryReadId(string raw, SessionAuthenticationOptions options, [NotNullWhen(true)] out string? id)
    {
        if (options.SignCookie)
        {
            if (!Signer.TryUnprotect(raw, out id))
            {
                return false;
            }
        }
        else
        {
            id = raw;
        }

        return SessionIds.IsWellFormed(id);
    }

    public string ProtectId(string id, SessionAuthenticationOptions options) => options.SignCookie ? Signer.Sign(id) : id;

    /// <summary>The cookie's name and Secure flag for this request (the plain-HTTP fallbacks, each warned about once).</summary>
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

        if (options.AllowInsecureLoopback && AuthKitCookieRules.IsLoopbackHttp(context))
        {
            var unprefixed = Unprefixed(name);
            if (Interlocked.Exchange(ref _warnedLoopback, 1) == 0)
            {
                Logger.SessionCookieInsecureLoopback(context.Request.Host.Host, unprefixed);
            }

            return new CookieTarget(unprefixed, false);
        }

        if (options.AllowInsecureHttp)
        {
            var unprefixed = Unprefixed(name);
            if (Interlocked.Exchange(ref _warnedInsecure, 1) == 0)
            {
                Logger.SessionCookieInsecureHttp(context.Request.Host.Host, unprefixed);
            }

            return new CookieTarget(unprefixed, false);
        }

        if (Interlocked.Exchange(ref _warnedHttp, 1) == 0)
        {
            Logger.SessionCookieSecureOverHttp(context.Request.Host.Host);
        }

        return new CookieTarget(name, true);
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

    public async ValueTask<SessionRecord?> GetAsync(SessionKey key, SessionAuthenticationOptions options)
    {
        var timeout = TimeoutToken(options);
        try
        {
            return await Bounded(Store.GetAsync(key, timeout), timeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Failure("read", ex, options);
        }
    }

    public async ValueTask<bool> CreateAsync(SessionRecord record, SessionAuthenticationOptions options)
    {
        var timeout = TimeoutToken(options);
        try
        {
            return await Bounded(Store.CreateAsync(record, timeout), timeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Failure("create", ex, options);
        }
    }

    public async ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, SessionAuthenticationOptions options)
    {
        var timeout = TimeoutToken(options);
        try
        {
            return await Bounded(Store.UpdateAsync(record, expectedVersion, timeout), timeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Failure("update", ex, options);
        }
    }

    public async ValueTask<bool> RemoveAsync(SessionKey key, SessionAuthenticationOptions options)
    {
        var timeout = TimeoutToken(options);
        try
        {
            return await Bounded(Store.RemoveAsync(key, timeout), timeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Failure("remove", ex, options);
        }
    }

    public async ValueTask<int> RemoveByUserAsync(string userId, SessionAuthenticationOptions options)
    {
        var timeout = TimeoutToken(options);
        try
        {
            return await Bounded(Store.RemoveByUserAsync(userId, timeout), timeout).ConfigureAwait(false);
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

    public void WriteUnavailable(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
    }

    private SessionStoreUnavailableException Failure(string operation, Exception exception, SessionAuthenticationOptions options)
    {
        if (exception is SessionStoreUnavailableException unavailable)
        {
            return unavailable;
        }

        var now = Time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastFailureLog);
        if ((last == 0 || now - last >= options.StoreErrorLogInterval.Ticks) && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            var reason = exception is OperationCanceledException or TimeoutException
                ? $"no answer within AuthKit:Sessions:StoreTimeout ({options.StoreTimeout.TotalMilliseconds:0} ms)"
                : exception.GetType().Name;
            Logger.SessionStoreFailed(operation, reason, Interlocked.Exchange(ref _suppressedFailures, 0), exception);
        }
        else
        {
            Interlocked.Increment(ref _suppressedFailures);
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
