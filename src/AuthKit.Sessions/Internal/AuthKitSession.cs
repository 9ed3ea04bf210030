using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text;
using AuthKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// One request's view of its session, shared by the authentication handler and <c>HttpContext.Session</c>: the record is read
/// once, changes are kept apart from it and written once (compare-and-set; on a conflict this request's own sets and removes are
/// re-applied to the fresh record).
/// </summary>
/// <remarks>
/// One request, one identity: <c>HttpContext.Session</c> is this session only while the session's user is
/// <c>HttpContext.User</c>'s user (an anonymous session for an anonymous request), checked when the app reads the feature, after
/// authentication and authorization. Otherwise the app gets a <see cref="DetachedSession"/>, and this request neither changes nor
/// slides the session. A session this request signed in or out is its own.
/// </remarks>
internal sealed class AuthKitSession : ISession, ISessionFeature
{
    private const int MaxCommitAttempts = 8;

    private static readonly Func<object, Task> s_commitOnStarting = static s => ((AuthKitSession)s).CommitOnStartingAsync();

    private static readonly Func<object, Task> s_releaseOnCompleted = static s =>
    {
        ((AuthKitSession)s).ReleaseLock();
        return Task.CompletedTask;
    };

    private readonly SessionRuntime _runtime;
    private readonly HttpContext _context;
    private readonly SessionAuthenticationOptions _options;
    private Task? _loading;
    private LoadState _state;
    private string? _cookieName;
    private bool _cookieSecure;
    private string? _id;
    private SessionRecord? _record;
    private SessionChanges _changes;
    private bool _cleared;
    private ClaimsPrincipal? _replacedPrincipal;
    private bool _commitRegistered;
    private ISession? _sessionOverride;
    private SessionRequestLocks.Entry? _lock;
    private bool _madeByThisRequest;
    private ClaimsPrincipal? _checkedUser;
    private bool _exposed;
    private DetachedSession? _detached;

    public AuthKitSession(SessionRuntime runtime, HttpContext context, SessionAuthenticationOptions options)
    {
        _runtime = runtime;
        _context = context;
        _options = options;
    }

    private enum LoadState : byte
    {
        NotLoaded,
        NoSession,
        Live,
        StoreFailed,
    }

    public bool IsStoreFailed => _state == LoadState.StoreFailed;

    /// <summary>The live record as last read or written, or <see langword="null"/>.</summary>
    public SessionRecord? Record => _state == LoadState.Live ? _record : null;

    public SessionKey? CurrentKey => _state == LoadState.Live ? _record!.Key : null;

    ISession ISessionFeature.Session
    {
        get
        {
            if (_sessionOverride is not null)
            {
                return _sessionOverride;
            }

            return IsAvailable && !IsExposed() ? _detached ??= new DetachedSession(_runtime) : this;
        }

        set => _sessionOverride = value;
    }

    /// <summary>The live record, when it belongs to the request's user (what <see cref="ISessionManager"/> may show as current).</summary>
    public SessionRecord? ExposedRecord => _state == LoadState.Live && IsExposed() ? _record : null;

    /// <summary>Whether the session was loaded (the middleware ran or the handler authenticated); before that, <c>HttpContext.Session</c> throws.</summary>
    public bool IsLoaded => _state != LoadState.NotLoaded;

    public bool IsAvailable => _state is LoadState.Live or LoadState.NoSession;

    public string Id
    {
        get
        {
            if (_state == LoadState.Live)
            {
                return _record!.Key.ToString();
            }

            // Like the framework's session: asking for the ID fixes it, but nothing is stored until a value is written.
            _id ??= SessionIds.Create();
            return SessionKey.FromSessionId(_id).ToString();
        }
    }

    public IEnumerable<string> Keys
    {
        get
        {
            EnsureReadable();
            var keys = new List<string>();
            if (!_cleared && _record is not null)
            {
                foreach (var key in _record.Data.Keys)
                {
                    if (!_changes.ContainsKey(key))
                    {
                        keys.Add(key);
                    }
                }
            }

            foreach (var (key, value) in _changes)
            {
                if (value is not null)
                {
                    keys.Add(key);
                }
            }

            return keys;
        }
    }

    private CookieTarget Cookie
    {
        get
        {
            if (_cookieName is null)
            {
                (_cookieName, _cookieSecure) = _runtime.ResolveCookie(_context, _options);
            }

            return new CookieTarget(_cookieName, _cookieSecure);
        }
    }

    private DateTimeOffset Now => _runtime.Time.GetUtcNow();

    public Task EnsureLoadedAsync() => _state != LoadState.NotLoaded ? Task.CompletedTask : (_loading ??= LoadCoreAsync());

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureLoadedAsync().ConfigureAwait(false);
        if (_state == LoadState.StoreFailed)
        {
            throw new SessionStoreException("The session store is unavailable.");
        }
    }

    public bool TryGetValue(string key, [NotNullWhen(true)] out byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureReadable();
        if (TryGetCurrent(key, out var current))
        {
            // A copy: the record may be shared (the memory store hands out the instance it keeps).
            value = current.ToArray();
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        EnsureReadable();
        var had = TryGetCurrent(key, out var existing);
        if (had && existing.Span.SequenceEqual(value))
        {
            return;
        }

        var size = DataSize() - (had ? Encoding.UTF8.GetByteCount(key) + existing.Length : 0) + Encoding.UTF8.GetByteCount(key) + value.Length;
        if (size > _options.MaxDataSize)
        {
            throw new InvalidOperationException($"Setting the session value '{key}' would make the session's data {size} bytes, over AuthKit:Sessions:MaxDataSize ({_options.MaxDataSize} bytes). Keep large data out of the session.");
        }

        _changes.Set(key, value.ToArray());
        RegisterCommit();
    }

    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureReadable();
        if (TryGetCurrent(key, out _))
        {
            _changes.Set(key, null);
            RegisterCommit();
        }
    }

    public void Clear()
    {
        EnsureReadable();
        _changes.Clear();
        _cleared = true;
        RegisterCommit();
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return CommitCoreAsync();
    }

    /// <summary>Replaces the stored principal (OnValidatePrincipal); written with the request's other changes.</summary>
    public void ReplacePrincipal(ClaimsPrincipal principal)
    {
        _replacedPrincipal = principal;
        RegisterCommit();
    }

    /// <summary>The principal for this request: a copy, so code that adds claims to <c>HttpContext.User</c> never changes the stored one.</summary>
    public ClaimsPrincipal? GetPrincipal()
    {
        if (_replacedPrincipal is not null)
        {
            return _replacedPrincipal;
        }

        if (_record?.Principal is not { } stored)
        {
            return null;
        }

        // ClaimsPrincipal.Clone() shares its identities; copy them too (indexed when the principal keeps a list: no boxed enumerator, no interim list).
        var copy = new ClaimsPrincipal();
        if (stored.Identities is IReadOnlyList<ClaimsIdentity> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                copy.AddIdentity(list[i].Clone());
            }
        }
        else
        {
            foreach (var identity in stored.Identities)
            {
                copy.AddIdentity(identity.Clone());
            }
        }

        return copy;
    }

    public CookieOptions BuildCookieOptions(DateTimeOffset? expires) => new()
    {
        Path = _options.Cookie.Path ?? "/",
        Domain = _options.Cookie.Domain,
        HttpOnly = _options.Cookie.HttpOnly,
        SameSite = _options.Cookie.SameSite,
        Secure = Cookie.Secure,
        IsEssential = true,
        Expires = expires,
    };

    /// <summary>
    /// Sign-in: a new ID and record; the previous record is removed at once. The data bag is carried over only when the user
    /// stays the same, or from an anonymous session when <see cref="SessionAuthenticationOptions.KeepAnonymousDataOnSignIn"/>
    /// is on; otherwise the new session starts empty.
    /// </summary>
    public async Task<SessionRecord> RenewAsync(ClaimsPrincipal principal, string userId, string scheme, DateTimeOffset absoluteExpiresAt, CookieOptions cookieOptions, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        await RequireLoadedAsync().ConfigureAwait(false);
        var now = Now;
        var previous = _state == LoadState.Live ? _record : null;
        var keepData = previous?.UserId is { } previousUser
            ? string.Equals(previousUser, userId, StringComparison.Ordinal)
            : _options.KeepAnonymousDataOnSignIn;
        var data = keepData ? Materialize(previous?.Data) : FrozenMap<ReadOnlyMemory<byte>>.Empty;
        var recordMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            recordMetadata[key] = value;
        }

        var frozenMetadata = FrozenMap<string>.Own(recordMetadata);
        SessionRecord record;
        string id;
        do
        {
            // Carries the user's slot tag, so a partitioned store (Redis Cluster) files it beside the user's index.
            id = SessionIds.Create(userId);
            record = new SessionRecord
            {
                Key = SessionKey.FromSessionId(id),
                Kind = SessionRecordKind.Session,
                UserId = userId,
                Principal = principal,
                AuthenticationScheme = scheme,
                Data = data,
                Metadata = frozenMetadata,
                CreatedAt = now,
                LastSeenAt = now,
                IdleExpiresAt = Min(now + _options.IdleTimeout, absoluteExpiresAt),
                AbsoluteExpiresAt = absoluteExpiresAt,
            };
        }
        while (!await _runtime.CreateAsync(record, _options).ConfigureAwait(false));

        SetLive(id, record with { Version = 1 });
        _madeByThisRequest = true;
        if (previous is not null)
        {
            await _runtime.RemoveAsync(previous.Key, _options).ConfigureAwait(false);
        }

        AppendCookie(id, cookieOptions);
        _runtime.Metrics.SessionCreated(_runtime.SchemeName);
        _runtime.Logger.SessionSignedIn(record.Key.ToString(), previous?.Key.ToString(), keepData && previous is not null);
        return _record!;
    }

    /// <summary>Sign-out (or a rejected principal): removes the record, expires the cookie; later writes start a new session.</summary>
    public async Task EndAsync()
    {
        await RequireLoadedAsync().ConfigureAwait(false);
        var previous = _state == LoadState.Live ? _record : null;
        _state = LoadState.NoSession;
        _madeByThisRequest = true;
        _record = null;
        _id = null;
        _changes.Clear();
        _cleared = false;
        _replacedPrincipal = null;
        if (previous is not null)
        {
            await _runtime.RemoveAsync(previous.Key, _options).ConfigureAwait(false);
        }

        DeleteCookie();
        _runtime.Logger.SessionSignedOut(previous?.Key.ToString());
    }

    public async Task CommitCoreAsync()
    {
        if (_state is LoadState.NotLoaded or LoadState.StoreFailed)
        {
            return;
        }

        try
        {
            await CommitChangesAsync().ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            // Answered once (503); a later commit of the same request must not try again.
            _state = LoadState.StoreFailed;
            throw;
        }
    }

    private async Task CommitChangesAsync()
    {
        if (!IsExposed())
        {
            // The request spoke for another user: it neither changes nor slides this session (its writes went to a DetachedSession).
            ResetChanges();
            return;
        }

        if (_state == LoadState.NoSession)
        {
            await CreateAnonymousAsync().ConfigureAwait(false);
            return;
        }

        var now = Now;
        var current = _record!;
        for (var attempt = 1; attempt <= MaxCommitAttempts; attempt++)
        {
            var slide = now - current.LastSeenAt >= _options.SlidingRefreshInterval;
            var data = HasDataChanges(current.Data) ? Materialize(current.Data) : null;
            if (data is null && _replacedPrincipal is null && !slide)
            {
                _record = current;
                ResetChanges();
                return;
            }

            var next = current with
            {
                Version = current.Version + 1,
                Data = data ?? current.Data,
                Principal = _replacedPrincipal ?? current.Principal,
                LastSeenAt = slide ? now : current.LastSeenAt,
                IdleExpiresAt = slide ? Min(now + _options.IdleTimeout, current.AbsoluteExpiresAt) : current.IdleExpiresAt,
            };
            if (await _runtime.UpdateAsync(next, current.Version, _options).ConfigureAwait(false))
            {
                _record = next;
                ResetChanges();
                return;
            }

            // Someone else wrote first: read their version and re-apply only what this request changed.
            var fresh = await _runtime.GetAsync(current.Key, _options).ConfigureAwait(false);
            if (fresh is null || fresh.IsExpired(now) || fresh.Kind != SessionRecordKind.Session)
            {
                _runtime.Logger.SessionEndedDuringRequest(current.Key.ToString());
                _state = LoadState.NoSession;
                _record = null;
                _id = null;
                ResetChanges();
                return;
            }

            current = fresh;
        }

        _runtime.Logger.SessionCommitGaveUp(current.Key.ToString(), MaxCommitAttempts);
        _record = current;
        ResetChanges();
    }

    /// <summary>
    /// Lets the session's next request in (<see cref="SessionAuthenticationOptions.SerializeRequests"/>): called once the changes
    /// made before the response started are committed, and in the middleware's <c>finally</c>. Idempotent.
    /// </summary>
    public void ReleaseLock()
    {
        if (Interlocked.Exchange(ref _lock, null) is { } held)
        {
            _runtime.Locks.Release(held);
        }
    }

    private async Task CommitOnStartingAsync()
    {
        try
        {
            await CommitCoreAsync().ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            // Headers are not sent yet: the status can still change, though the endpoint's body follows.
            _context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            _context.Response.Headers.CacheControl = "no-store";
            _context.Response.Headers.RetryAfter = SessionRuntime.RetryAfterSeconds;
        }
        finally
        {
            // What the endpoint wrote before its response is saved: the body (possibly slow to send) need not hold the session.
            ReleaseLock();
        }
    }

    private async Task CreateAnonymousAsync()
    {
        if (!HasDataChanges(null))
        {
            ResetChanges();
            return;
        }

        if (_context.Response.HasStarted)
        {
            _runtime.Logger.SessionCreatedTooLate();
            ResetChanges();
            return;
        }

        var now = Now;
        var data = Materialize(null);
        var absolute = now + _options.AbsoluteTimeout;
        var id = _id ?? SessionIds.Create();
        while (true)
        {
            var record = new SessionRecord
            {
                Key = SessionKey.FromSessionId(id),
                Kind = SessionRecordKind.Session,
                Data = data,
                CreatedAt = now,
                LastSeenAt = now,
                IdleExpiresAt = Min(now + _options.IdleTimeout, absolute),
                AbsoluteExpiresAt = absolute,
            };
            if (await _runtime.CreateAsync(record, _options).ConfigureAwait(false))
            {
                SetLive(id, record with { Version = 1 });
                AppendCookie(id, BuildCookieOptions(null));
                _runtime.Metrics.SessionCreated(SessionAuthenticationDefaults.AuthenticationScheme);
                return;
            }

            id = SessionIds.Create();
        }
    }

    private async Task LoadCoreAsync()
    {
        if (!TryReadCookie(out var key))
        {
            return;
        }

        if (_options.SerializeRequests && !await AcquireLockAsync(key).ConfigureAwait(false))
        {
            _state = LoadState.StoreFailed;
            return;
        }

        SessionRecord? record;
        try
        {
            record = await _runtime.GetAsync(key, _options).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException)
        {
            _state = LoadState.StoreFailed;
            return;
        }

        if (record is null || record.Kind != SessionRecordKind.Session || record.IsExpired(Now))
        {
            Refuse("no live session: unknown, expired, signed out or revoked");
            return;
        }

        // The ID itself is not kept: a live session is known by its key (the cookie is only rewritten with a new ID).
        SetLive(null, record);
        if (Now - record.LastSeenAt >= _options.SlidingRefreshInterval)
        {
            RegisterCommit();
        }
    }

    /// <summary>
    /// Reads the session key from the request's cookie, in place (the ID is never copied out of the header). Returns
    /// <see langword="false"/> with the state set when there is nothing to load: no cookie, or one refused.
    /// </summary>
    private bool TryReadCookie(out SessionKey key)
    {
        key = default;
        var lookup = SessionCookieReader.Find(_context.Request, Cookie.Name, out var raw);
        if (lookup == SessionCookieLookup.Duplicated)
        {
            // Two cookies of this name: one may have been planted by a sibling subdomain or for a path (cookie tossing). Trust neither.
            _runtime.Logger.SessionCookieDuplicated(Cookie.Name);
            Refuse(reason: null);
            return false;
        }

        if (raw.IsEmpty)
        {
            _state = LoadState.NoSession;
            return false;
        }

        if (!_runtime.TryReadKey(raw, _options, out key))
        {
            Refuse("malformed, unsigned or badly signed");
            return false;
        }

        return true;
    }

    /// <summary>Waits (asynchronously, at most <c>StoreTimeout</c>) until the session's earlier requests of this process are done.</summary>
    private async Task<bool> AcquireLockAsync(SessionKey key)
    {
        SessionRequestLocks.Entry? held;
        try
        {
            held = await _runtime.Locks.AcquireAsync(key, _runtime.TimeoutToken(_options), _context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away while waiting: nothing to load, nobody to answer.
            return false;
        }

        if (held is null)
        {
            _runtime.Logger.SessionRequestLockTimeout(key.ToString(), _options.StoreTimeout.TotalMilliseconds);
            return false;
        }

        _lock = held;
        // Released when the response starts (after the commit), in the middleware's finally, and at the latest when the request ends.
        _context.Response.OnCompleted(s_releaseOnCompleted, this);
        RegisterCommit();
        return true;
    }

    private void Refuse(string? reason)
    {
        _state = LoadState.NoSession;
        if (reason is not null)
        {
            _runtime.Logger.SessionCookieRefused(reason);
        }

        DeleteCookie();
    }

    /// <summary>
    /// Whether the session belongs to the request's user: a signed-in session to a request authenticated as its user, an
    /// anonymous (or not yet created) session to an anonymous request, and whatever this request signed in or out. Checked
    /// against the current <c>HttpContext.User</c> (after authorization, which may authenticate other schemes), and cached per principal.
    /// </summary>
    private bool IsExposed()
    {
        if (_madeByThisRequest)
        {
            return true;
        }

        var user = _context.User;
        if (!ReferenceEquals(user, _checkedUser))
        {
            var requestUser = _runtime.GetRequestUserId(user, _options);
            var sessionUser = _state == LoadState.Live ? _record!.UserId : null;
            _exposed = string.Equals(requestUser, sessionUser, StringComparison.Ordinal);
            _checkedUser = user;
        }

        return _exposed;
    }

    /// <summary>The current value of a key (this request's change, else the record's), without copying.</summary>
    private bool TryGetCurrent(string key, out ReadOnlyMemory<byte> value)
    {
        if (_changes.TryGetValue(key, out var changed))
        {
            value = changed;
            return changed is not null;
        }

        if (!_cleared && _record is not null && _record.Data.TryGetValue(key, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private void SetLive(string? id, SessionRecord record)
    {
        _id = id;
        _record = record;
        _state = LoadState.Live;
        ResetChanges();
    }

    private void ResetChanges()
    {
        _changes.Clear();
        _cleared = false;
        _replacedPrincipal = null;
    }

    private async Task RequireLoadedAsync()
    {
        await EnsureLoadedAsync().ConfigureAwait(false);
        if (_state == LoadState.StoreFailed)
        {
            throw new SessionStoreUnavailableException("read", new SessionStoreException("The session could not be read."));
        }
    }

    private void EnsureReadable()
    {
        switch (_state)
        {
            case LoadState.NotLoaded:
                throw new InvalidOperationException("The AuthKit session is not loaded yet: use app.UseAuthKit(), or await HttpContext.Session.LoadAsync() first.");
            case LoadState.StoreFailed:
                throw new SessionStoreException("The session store is unavailable.");
        }
    }

    private void RegisterCommit()
    {
        if (_commitRegistered || _context.Response.HasStarted)
        {
            return;
        }

        _commitRegistered = true;
        _context.Response.OnStarting(s_commitOnStarting, this);
    }

    private bool HasDataChanges(IReadOnlyDictionary<string, ReadOnlyMemory<byte>>? baseData)
    {
        if (_cleared && baseData is { Count: > 0 })
        {
            return true;
        }

        foreach (var (key, value) in _changes)
        {
            ReadOnlyMemory<byte> old = default;
            var present = !_cleared && baseData is not null && baseData.TryGetValue(key, out old);
            if (value is null ? present : !present || !old.Span.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }

    private FrozenMap<ReadOnlyMemory<byte>> Materialize(IReadOnlyDictionary<string, ReadOnlyMemory<byte>>? baseData)
    {
        var kept = _cleared ? null : baseData;
        if (kept is null or FrozenMap<ReadOnlyMemory<byte>> && (kept?.Count ?? 0) + _changes.Count <= FrozenMap<ReadOnlyMemory<byte>>.SmallLimit)
        {
            return MaterializeSmall((FrozenMap<ReadOnlyMemory<byte>>?)kept);
        }

        // One copy, sized once; the store takes ownership of the new map (records are immutable, nobody else holds it).
        var result = new Dictionary<string, ReadOnlyMemory<byte>>((kept?.Count ?? 0) + _changes.Count, StringComparer.Ordinal);
        if (kept is FrozenMap<ReadOnlyMemory<byte>> frozen)
        {
            foreach (var (key, value) in frozen)
            {
                result[key] = value;
            }
        }
        else if (kept is not null)
        {
            foreach (var (key, value) in kept)
            {
                result[key] = value;
            }
        }

        foreach (var (key, value) in _changes)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = value;
            }
        }

        // The values are the record's own (immutable) or this request's private copies: the map can own them.
        return FrozenMap<ReadOnlyMemory<byte>>.Own(result);
    }

    /// <summary>The usual bag of a few keys: counted first, then written once into an array of exactly that size.</summary>
    private FrozenMap<ReadOnlyMemory<byte>> MaterializeSmall(FrozenMap<ReadOnlyMemory<byte>>? kept)
    {
        var count = 0;
        if (kept is not null)
        {
            foreach (var (key, _) in kept)
            {
                if (!_changes.ContainsKey(key))
                {
                    count++;
                }
            }
        }

        foreach (var (_, value) in _changes)
        {
            if (value is not null)
            {
                count++;
            }
        }

        if (count == 0)
        {
            return FrozenMap<ReadOnlyMemory<byte>>.Empty;
        }

        var items = new KeyValuePair<string, ReadOnlyMemory<byte>>[count];
        var i = 0;
        if (kept is not null)
        {
            foreach (var (key, value) in kept)
            {
                if (!_changes.ContainsKey(key))
                {
                    items[i++] = new(key, value);
                }
            }
        }

        foreach (var (key, value) in _changes)
        {
            if (value is not null)
            {
                items[i++] = new(key, value);
            }
        }

        return FrozenMap<ReadOnlyMemory<byte>>.Own(items);
    }

    private void AppendCookie(string id, CookieOptions options)
    {
        if (_context.Response.HasStarted)
        {
            _runtime.Logger.SessionCookieTooLate();
            return;
        }

        _context.Response.Cookies.Append(Cookie.Name, _runtime.ProtectId(id, _options), options);
    }

    private void DeleteCookie()
    {
        if (_context.Response.HasStarted)
        {
            _runtime.Logger.SessionCookieTooLate();
            return;
        }

        _context.Response.Cookies.Delete(Cookie.Name, BuildCookieOptions(null));
    }

    /// <summary>The size of the data as this request sees it (keys in UTF-8 plus values), without building a key list.</summary>
    private int DataSize()
    {
        var size = 0;
        if (!_cleared && _record?.Data is FrozenMap<ReadOnlyMemory<byte>> data)
        {
            foreach (var (key, value) in data)
            {
                if (!_changes.ContainsKey(key))
                {
                    size += Encoding.UTF8.GetByteCount(key) + value.Length;
                }
            }
        }

        foreach (var (key, value) in _changes)
        {
            if (value is not null)
            {
                size += Encoding.UTF8.GetByteCount(key) + value.Length;
            }
        }

        return size;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
