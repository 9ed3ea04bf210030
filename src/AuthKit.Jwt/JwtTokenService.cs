using System.Collections.Concurrent;
using AuthKit.Internal.Keys;
using System.Buffers.Binary;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Jwt.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Jwt;

/// <summary>
/// AuthKit's <see cref="ITokenService"/>: signed access tokens (compact JWS, <c>typ: at+jwt</c>) and rotating refresh tokens kept in the <see cref="ISessionStore"/>.
/// </summary>
/// <remarks>
/// <para><c>AddAuthKitJwt()</c> registers one per scheme, as the keyed <see cref="ITokenService"/> of the scheme name; outside a host (tools,
/// benchmarks) use <see cref="Create(JwtAuthenticationOptions)"/>.</para>
/// <para>It reads the scheme's options from the <see cref="IOptionsMonitor{TOptions}"/> on every call, so a configuration reload (new keys, a new
/// issuer) takes effect without a restart. Reloaded options that are not valid are logged and ignored: the previous ones stay in use.</para>
/// <para>Refresh tokens: a family is one store record, whatever the number of rotations. The token is <c>{family}.{secret}</c> (two 256-bit random
/// values, base64url); the record is filed under the SHA-256 digest of the family part and holds the SHA-256 digest of the current secret and a
/// generation, so a dump of the store cannot be replayed. Each refresh replaces the secret; any other token of the family (an older, spent one)
/// revokes the whole family (RFC 9700 §4.14). A family records the issuer and audience of the scheme that started it, and only that issuer and
/// audience redeem it. Every store call is bounded by <see cref="JwtAuthenticationOptions.StoreTimeout"/>; a store that fails or times out surfaces
/// as <see cref="SessionStoreException"/> from the issue (with a refresh token), refresh and revoke methods, and from <see cref="ValidateAsync"/>
/// only when it reads the store (the <c>jti</c> denylist, the user's not-before stamp), logged at most once per
/// <see cref="JwtAuthenticationOptions.StoreErrorLogInterval"/>.</para>
/// </remarks>
public sealed class JwtTokenService : ITokenService
{
    private const string CurrentSecretKey = "authkit.jwt.cur";
    private const string PreviousSecretKey = "authkit.jwt.prev";
    private const string GenerationKey = "authkit.jwt.gen";
    private const string IssuerKey = "authkit.jwt.iss";
    private const string SchemeAudienceKey = "authkit.jwt.scheme-aud";
    private const string AudienceKey = "authkit.jwt.aud";
    private const string ScopeKey = "authkit.jwt.scope";
    private const string LifetimeKey = "authkit.jwt.atl";
    private const string NotBeforeStampKey = "authkit.jwt.nbf";
    private const string FamilyPrefix = "rtf:";
    private const string DenylistPrefix = "jti:";
    private const string NotBeforePrefix = "nbf:";

    private readonly IOptionsMonitor<JwtAuthenticationOptions> _options;
    private readonly string _scheme;
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JwtNotBeforeCache _notBefore;
    private readonly ManagedKeySet? _managed;
    private readonly ConcurrentDictionary<string, JwtSigningKey> _managedKeys = new(StringComparer.Ordinal);
    private State _state;
    private JwtAuthenticationOptions? _rejected;
    private long _nextRejectionLog;
    private long _nextOptionsRead;

    /// <summary>Creates the token service of one scheme (by dependency injection).</summary>
    /// <param name="options">The options monitor; the scheme's options are read from it on every call.</param>
    /// <param name="authenticationScheme">The scheme name: it selects the options and is the authentication type of validated identities.</param>
    /// <param name="store">Where refresh-token families, denied <c>jti</c>s and not-before stamps are kept.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <exception cref="OptionsValidationException">The scheme's options are not valid (no issuer, no key, a key that cannot be read…).</exception>
    public JwtTokenService(
        IOptionsMonitor<JwtAuthenticationOptions> options, string authenticationScheme, ISessionStore store, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : this(options, authenticationScheme, store, timeProvider, loggerFactory, managed: null)
    {
    }

    /// <summary>Creates the token service of one scheme whose keys may be managed (<paramref name="managed"/>: the scheme's managed ring).</summary>
    internal JwtTokenService(
        IOptionsMonitor<JwtAuthenticationOptions> options, string authenticationScheme, ISessionStore store, TimeProvider timeProvider, ILoggerFactory loggerFactory, ManagedKeySet? managed,
        AuthKitMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _scheme = authenticationScheme;
        _store = store;
        _time = timeProvider;
        _logger = loggerFactory.CreateLogger<JwtTokenService>();
        _notBefore = new JwtNotBeforeCache(timeProvider);
        _managed = managed;
        Metrics = metrics;
        _state = BuildState(options.Get(authenticationScheme));
    }

    /// <summary>The application's metrics when the service was built by dependency injection (the bearer scheme reports through them without a lookup per request).</summary>
    internal AuthKitMetrics? Metrics { get; }

    /// <summary>
    /// Creates a token service outside a host, with a private in-memory store, the system clock and no logging. The options are validated
    /// here and read as they are now; the scheme name is <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are not valid; the message lists every problem.</exception>
    public static JwtTokenService Create(JwtAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = TimeProvider.System;
        return Create(options, new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), time), time, NullLoggerFactory.Instance);
    }

    /// <summary>Creates a token service outside a host, with the given store, clock and logging. The options are validated here.</summary>
    /// <exception cref="OptionsValidationException">The options are not valid; the message lists every problem.</exception>
    public static JwtTokenService Create(JwtAuthenticationOptions options, ISessionStore store, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JwtTokenService(new FixedOptionsMonitor(options), JwtAuthenticationDefaults.AuthenticationScheme, store, timeProvider, loggerFactory);
    }

    /// <summary>Every key that validates tokens, the active one included.</summary>
    public IReadOnlyList<JwtSigningKey> Keys => Current.Keys.Keys;

    /// <summary>The key that signs new tokens, or <see langword="null"/> when the service only validates.</summary>
    public JwtSigningKey? ActiveKey => Current.Keys.Active;

    /// <summary>The JSON Web Key Set of the public keys (<c>{"keys":[…]}</c>); HMAC keys are never in it.</summary>
    public string GetJwks() => Encoding.UTF8.GetString(Current.Keys.JwksJson);

    /// <summary>The JWKS as served (UTF-8), and how long a client may cache it: shorter than a managed key's announcement, so clients fetch a key before it signs.</summary>
    internal (byte[] Json, TimeSpan MaxAge) GetJwksForEndpoint()
    {
        var state = Current;
        if (_managed is null || !state.Options.UsesManagedKeys)
        {
            return (state.Keys.JwksJson, TimeSpan.FromMinutes(5));
        }

        var t = _managed.Timings;
        var maxAge = (t.PropagationDelay - t.RefreshInterval) / 2;
        return (state.Keys.JwksJson, maxAge > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : maxAge < TimeSpan.Zero ? TimeSpan.Zero : maxAge);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The principal has no subject (a <c>sub</c> or <see cref="ClaimTypes.NameIdentifier"/> claim).</exception>
    /// <exception cref="InvalidOperationException">No key can sign.</exception>
    /// <exception cref="SessionStoreException">With a refresh token: the store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    /// <remarks>
    /// With a refresh token, a new family starts; when the user already holds <see cref="JwtAuthenticationOptions.MaxRefreshTokenFamiliesPerUser"/>
    /// families of this issuer, the oldest are revoked first.
    /// </remarks>
    public async ValueTask<IssuedTokens> IssueAsync(ClaimsPrincipal principal, TokenIssueOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        var state = Current;
        var subject = JwtTokenWriter.GetSubject(principal);
        if (string.IsNullOrEmpty(subject))
        {
            throw new ArgumentException("The principal has no subject: add a 'sub' or ClaimTypes.NameIdentifier claim.", nameof(principal));
        }

        var lifetime = options?.AccessTokenLifetime ?? state.Options.AccessTokenLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, "options.AccessTokenLifetime");
        var audience = options?.Audience ?? state.Audience;
        var scope = options?.Scope;
        var now = _time.GetUtcNow();
        var access = IssueAccessToken(state, principal, subject, audience, scope, now, lifetime);
        if (options?.IncludeRefreshToken != true)
        {
            return access;
        }

        var data = new Dictionary<string, byte[]>(8, StringComparer.Ordinal)
        {
            [GenerationKey] = Int64(1),
            [IssuerKey] = Encoding.UTF8.GetBytes(state.Issuer),
            [SchemeAudienceKey] = Encoding.UTF8.GetBytes(state.Audience),
        };
        if (options.Audience is not null)
        {
            data[AudienceKey] = Encoding.UTF8.GetBytes(options.Audience);
        }

        if (scope is not null)
        {
            data[ScopeKey] = Encoding.UTF8.GetBytes(scope);
        }

        if (options.AccessTokenLifetime is { } custom)
        {
            data[LifetimeKey] = Int64(custom.Ticks);
        }

        await EvictOldestFamiliesAsync(state, subject, cancellationToken).ConfigureAwait(false);
        var (refreshToken, expiresAt) = await StartFamilyAsync(state, principal, subject, data, now, cancellationToken).ConfigureAwait(false);
        return new IssuedTokens
        {
            AccessToken = access.AccessToken,
            TokenId = access.TokenId,
            AccessTokenExpiresAt = access.AccessTokenExpiresAt,
            RefreshToken = refreshToken,
            RefreshTokenExpiresAt = expiresAt,
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Never throws for bad input: every refused token is a typed <see cref="AccessTokenValidationResult"/>. With
    /// <see cref="JwtAuthenticationOptions.EnableTokenIdDenylist"/> or <see cref="JwtAuthenticationOptions.EnableUserNotBefore"/> on, a store that
    /// fails or does not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/> is not bad input: it throws <see cref="SessionStoreException"/>
    /// (the bearer scheme answers 503), because neither "valid" nor "refused" would be true. Cancelling <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>.
    /// </remarks>
    /// <exception cref="SessionStoreException">A store read failed or timed out (only with the <c>jti</c> denylist or the not-before stamp on).</exception>
    public ValueTask<AccessTokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default) =>
        Validate(token, cancellationToken);

    /// <summary>
    /// <see cref="ValidateAsync"/> on characters the caller holds (the bearer scheme's header value), so the token is not copied into a string.
    /// The span is read before this returns; only the revocation check may complete later.
    /// </summary>
    internal ValueTask<AccessTokenValidationResult> Validate(ReadOnlySpan<char> token, CancellationToken cancellationToken)
    {
        if (!TryValidate(token, cancellationToken, out var error, out var principal, out var tokenId, out var expiresAt, out var pending))
        {
            return pending;
        }

        return new ValueTask<AccessTokenValidationResult>(error == TokenValidationError.None
            ? AccessTokenValidationResult.Success(principal!, tokenId, expiresAt)
            : AccessTokenValidationResult.Failure(error));
    }

    /// <summary>
    /// <see cref="Validate"/> without a result object when the verdict is known at once (<see langword="true"/>: <paramref name="error"/>, and on
    /// success the principal, <c>jti</c> and expiry, are final). <see langword="false"/> when the revocation check is due: <paramref name="pending"/>
    /// completes it.
    /// </summary>
    internal bool TryValidate(
        ReadOnlySpan<char> token, CancellationToken cancellationToken, out TokenValidationError error, out ClaimsPrincipal? principal, out string? tokenId,
        out DateTimeOffset expiresAt, out ValueTask<AccessTokenValidationResult> pending)
    {
        pending = default;
        var state = Current;
        try
        {
            error = state.Reader.Read(token, _time.GetUtcNow(), out principal, out tokenId, out expiresAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.ValidationError(ex);
            error = TokenValidationError.Malformed;
            principal = null;
            tokenId = null;
            expiresAt = default;
            return true;
        }

        if (error == TokenValidationError.None && ((state.Options.EnableTokenIdDenylist && tokenId is not null) || state.Options.EnableUserNotBefore))
        {
            pending = CheckRevocationAsync(state, principal!, tokenId, expiresAt, cancellationToken);
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The current token of its family is spent and replaced (compare-and-set on the family record). Its immediate predecessor presented again within
    /// <see cref="JwtAuthenticationOptions.RefreshTokenReuseInterval"/> answers <see cref="TokenRefreshError.Conflict"/>; any other token of the family
    /// revokes it (<see cref="TokenRefreshError.Reused"/>). A token whose family another issuer or audience started answers
    /// <see cref="TokenRefreshError.Invalid"/> and leaves the family alone.
    /// </remarks>
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<TokenRefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!JwtRefreshToken.TryParse(refreshToken, out var familyId, out var secret))
        {
            return Refused(TokenRefreshError.Invalid);
        }

        var state = Current;
        var key = FamilyKey(familyId);
        var record = await state.Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Kind != SessionRecordKind.RefreshToken || record.UserId is null || record.Principal is null
            || JwtRecordData.Get(record, CurrentSecretKey) is not { Length: SHA256.HashSizeInBytes } current)
        {
            return Refused(TokenRefreshError.Invalid);
        }

        var now = _time.GetUtcNow();
        if (record.IsExpired(now))
        {
            return Refused(TokenRefreshError.Expired);
        }

        if (!IsOwnFamily(state, record))
        {
            _logger.RefreshTokenForeign(_scheme);
            return TokenRefreshResult.Failure(TokenRefreshError.Invalid);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SecretDigest(secret, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, current))
        {
            if (JwtRecordData.Get(record, PreviousSecretKey) is { Length: SHA256.HashSizeInBytes } previous
                && CryptographicOperations.FixedTimeEquals(digest, previous) && now - record.LastSeenAt < state.Options.RefreshTokenReuseInterval)
            {
                _logger.RefreshConflict();
                return TokenRefreshResult.Failure(TokenRefreshError.Conflict);
            }

            await state.Store.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            _logger.RefreshTokenReused(key.ToString(), record.UserId, Generation(record));
            return TokenRefreshResult.Failure(TokenRefreshError.Reused);
        }

        var newSecret = SessionIds.Create();
        var data = JwtRecordData.Copy(record);
        data[CurrentSecretKey] = SecretDigest(newSecret);
        data[PreviousSecretKey] = digest.ToArray();
        data[GenerationKey] = Int64(Generation(record) + 1);
        var idle = now + state.Options.RefreshTokenIdleLifetime;
        var rotated = JwtRecordData.With(record with { LastSeenAt = now, IdleExpiresAt = idle < record.AbsoluteExpiresAt ? idle : record.AbsoluteExpiresAt }, data);
        if (!await state.Store.UpdateAsync(rotated, record.Version, cancellationToken).ConfigureAwait(false))
        {
            // Someone else changed the record first: a concurrent refresh with the same token won, or the family was revoked.
            if (await state.Store.GetAsync(key, cancellationToken).ConfigureAwait(false) is null)
            {
                return Refused(TokenRefreshError.Invalid);
            }

            _logger.RefreshConflict();
            return TokenRefreshResult.Failure(TokenRefreshError.Conflict);
        }

        var principal = record.Principal;
        var subject = JwtTokenWriter.GetSubject(principal) ?? record.UserId;
        var audience = GetString(record, AudienceKey) ?? state.Audience;
        var scope = GetString(record, ScopeKey);
        var lifetime = JwtRecordData.Get(record, LifetimeKey) is { Length: 8 } l
            ? TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(l))
            : state.Options.AccessTokenLifetime;
        var access = IssueAccessToken(state, principal, subject, audience, scope, now, lifetime);
        return TokenRefreshResult.Success(new IssuedTokens
        {
            AccessToken = access.AccessToken,
            TokenId = access.TokenId,
            AccessTokenExpiresAt = access.AccessTokenExpiresAt,
            RefreshToken = JwtRefreshToken.Format(familyId, newSecret),
            RefreshTokenExpiresAt = rotated.ExpiresAt,
        });
    }

    /// <inheritdoc />
    /// <remarks>Any token of the family revokes it. A family that another issuer or audience started is left alone (<see langword="false"/>).</remarks>
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<bool> RevokeRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!JwtRefreshToken.TryParse(refreshToken, out var familyId, out _))
        {
            return false;
        }

        var state = Current;
        var key = FamilyKey(familyId);
        var record = await state.Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Kind != SessionRecordKind.RefreshToken || !IsOwnFamily(state, record))
        {
            return false;
        }

        var removed = await state.Store.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        _logger.RefreshFamilyRevoked(key.ToString());
        return removed;
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask RevokeTokenIdAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        cancellationToken.ThrowIfCancellationRequested();
        var state = Current;
        var now = _time.GetUtcNow();

        // Kept until the token could no longer validate anyway: its expiry plus the clock skew.
        var until = expiresAt + state.Options.ClockSkew;
        if (until <= now)
        {
            return;
        }

        var record = new SessionRecord
        {
            Key = DenylistKey(tokenId),
            Kind = SessionRecordKind.RevokedToken,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = until,
            AbsoluteExpiresAt = until,
        };
        await state.Store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Only the families this scheme's issuer and audience started; those of other apps sharing the store are left alone.</remarks>
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<int> RevokeAllRefreshTokensAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var state = Current;
        var removed = 0;
        foreach (var record in await state.Store.ListAsync(userId, SessionRecordKind.RefreshToken, cancellationToken).ConfigureAwait(false))
        {
            if (IsOwnFamily(state, record) && await state.Store.RemoveAsync(record.Key, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Records the stamp in the store (one record per user, without a user ID so that removing the user's records leaves it, kept until every
    /// token issued before it has expired: the longer of <see cref="JwtAuthenticationOptions.AccessTokenLifetime"/> and
    /// <see cref="JwtAuthenticationOptions.RefreshTokenLifetime"/>, plus the clock skew). Validation checks it only with
    /// <see cref="JwtAuthenticationOptions.EnableUserNotBefore"/>; this instance refuses the tokens at once, other instances within
    /// <see cref="JwtAuthenticationOptions.UserNotBeforeCacheDuration"/>. Tokens issued within the same second as the stamp are refused too
    /// (<c>iat</c> has whole seconds).
    /// </remarks>
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask RevokeAllAccessTokensAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        cancellationToken.ThrowIfCancellationRequested();
        var state = Current;
        var now = _time.GetUtcNow();
        var stamp = now.ToUnixTimeSeconds();
        var o = state.Options;
        var until = now + (o.AccessTokenLifetime > o.RefreshTokenLifetime ? o.AccessTokenLifetime : o.RefreshTokenLifetime) + o.ClockSkew;
        var key = NotBeforeKey(state, userId);
        var record = JwtRecordData.With(
            new SessionRecord
            {
                Key = key,
                Kind = SessionRecordKind.AccessTokenNotBefore,
                CreatedAt = now,
                LastSeenAt = now,
                IdleExpiresAt = until,
                AbsoluteExpiresAt = until,
            },
            new Dictionary<string, byte[]>(1, StringComparer.Ordinal) { [NotBeforeStampKey] = Int64(stamp) });
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await state.Store.CreateAsync(record, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            var existing = await state.Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue;
            }

            // A stamp only moves forward, and its record lives as long as the latest stamp needs.
            if (ReadStamp(existing) is { } later && later >= stamp && existing.AbsoluteExpiresAt >= until)
            {
                break;
            }

            if (await state.Store.UpdateAsync(record with { CreatedAt = existing.CreatedAt }, existing.Version, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        _notBefore.Set(userId, stamp);
        _logger.AccessTokensRevoked(userId);
    }

    /// <summary>The options and everything built from them; rebuilt when the options monitor hands out a new instance.</summary>
    /// <summary>The state in force: the scheme's options as last accepted, with the managed keys as they are now.</summary>
    private State Current
    {
        get
        {
            var state = OptionsState;
            if (_managed is null || !state.Options.UsesManagedKeys)
            {
                return state;
            }

            // Throws SessionStoreException until the ring has been read once: the handler and endpoints answer 503.
            var snapshot = _managed.Snapshot;
            var active = snapshot.Active(_time.GetUtcNow());
            if (ReferenceEquals(snapshot, state.Snapshot) && ReferenceEquals(active, state.ManagedActive))
            {
                return state;
            }

            var rebuilt = BuildState(state.Options);
            Interlocked.CompareExchange(ref _state, rebuilt, state);
            return rebuilt;
        }
    }

    private State OptionsState
    {
        get
        {
            var state = _state;
            var retryAt = Volatile.Read(ref _nextOptionsRead);
            if (retryAt != 0 && _time.GetTimestamp() < retryAt)
            {
                return state;
            }

            JwtAuthenticationOptions options;
            try
            {
                options = _options.Get(_scheme);
            }
            catch (OptionsValidationException ex)
            {
                // The monitor caches no failure: it would rebuild (and re-read key files) on every call. Ask again in a second.
                Volatile.Write(ref _nextOptionsRead, _time.GetTimestamp() + _time.TimestampFrequency);
                LogRejected(ex.Failures);
                return state;
            }

            if (retryAt != 0)
            {
                Volatile.Write(ref _nextOptionsRead, 0);
            }

            return ReferenceEquals(options, state.Options) || ReferenceEquals(options, _rejected) ? state : Reload(options, state);
        }
    }

    private State Reload(JwtAuthenticationOptions options, State previous)
    {
        if (previous.Options.Keys.Count > 0 && options.Keys.Count == 0)
        {
            // A configuration file that no longer parses reloads as empty: never fall back to other keys (a development key) because of it.
            _rejected = options;
            var section = JwtAuthenticationDefaults.ConfigurationSectionFor(_scheme);
            LogRejected([$"{section}:Keys is now empty (a configuration file that no longer parses reads as empty). Restore the keys; the previous ones stay in force."]);
            return previous;
        }

        try
        {
            var state = BuildState(options);
            _state = state;
            return state;
        }
        catch (OptionsValidationException ex)
        {
            _rejected = options;
            LogRejected(ex.Failures);
            return previous;
        }
    }

    private void LogRejected(IEnumerable<string> failures)
    {
        // Logged at most once a minute: the monitor throws on every call while the configuration stays invalid.
        var now = _time.GetTimestamp();
        var next = Interlocked.Read(ref _nextRejectionLog);
        if (now >= next && Interlocked.CompareExchange(ref _nextRejectionLog, now + (60 * _time.TimestampFrequency), next) == next)
        {
            _logger.OptionsReloadRejected(_scheme, string.Join(" ", failures));
        }
    }

    private State BuildState(JwtAuthenticationOptions options)
    {
        var section = JwtAuthenticationDefaults.ConfigurationSectionFor(_scheme);
        var errors = JwtAuthenticationOptionsValidator.Check(options, section, out var keys);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(_scheme, typeof(JwtAuthenticationOptions), errors);
        }

        var snapshot = options.UsesManagedKeys ? _managed?.TryGetSnapshot() : null;
        ManagedKey? managedActive = null;
        if (snapshot is not null)
        {
            managedActive = snapshot.Active(_time.GetUtcNow());
            var managed = new List<JwtSigningKey>(snapshot.Keys.Count);
            JwtSigningKey? active = null;
            foreach (var key in snapshot.Keys)
            {
                var signingKey = _managedKeys.GetOrAdd(key.Id, static (_, k) => ManagedSigningKey(k), key);
                managed.Add(signingKey);
                if (ReferenceEquals(key, managedActive))
                {
                    active = signingKey;
                }
            }

            foreach (var id in _managedKeys.Keys)
            {
                if (!snapshot.Keys.Any(k => k.Id == id))
                {
                    _managedKeys.TryRemove(id, out _);
                }
            }

            keys = JwtKeySet.Build(options, section, [], managed, active);
        }

        if (keys.Active is null)
        {
            _logger.ValidationOnly();
        }

        var store = new JwtStoreGuard(_store, _time, _logger, options.StoreTimeout, options.StoreErrorLogInterval);
        return new State(options, keys, new JwtTokenReader(options, keys, _scheme), new JwtTokenWriter(options, keys), store, options.Issuer!, options.Audience ?? options.Issuer!, snapshot, managedActive);
    }

    private static JwtSigningKey ManagedSigningKey(ManagedKey key) => key.Algorithm.StartsWith("HS", StringComparison.Ordinal)
        ? JwtSigningKey.FromSecret(key.Id, key.Algorithm, key.Material)
        : JwtSigningKey.FromPem(key.Id, key.Algorithm, PemEncoding.WriteString("PRIVATE KEY", key.Material));

    private static IssuedTokens IssueAccessToken(State state, ClaimsPrincipal principal, string subject, string? audience, string? scope, DateTimeOffset now, TimeSpan lifetime)
    {
        var tokenId = JwtTokenWriter.NewTokenId();

        // Whole seconds, as the token carries them, so ExpiresAt matches the token's exp.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expires = issuedAt + lifetime;
        var token = state.Writer.Write(principal, subject, audience, scope, issuedAt, expires, tokenId);
        return new IssuedTokens { AccessToken = token, TokenId = tokenId, AccessTokenExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()) };
    }

    private async ValueTask<(string Token, DateTimeOffset ExpiresAt)> StartFamilyAsync(
        State state, ClaimsPrincipal principal, string userId, Dictionary<string, byte[]> data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var absolute = now + state.Options.RefreshTokenLifetime;
        var idle = now + state.Options.RefreshTokenIdleLifetime;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var familyId = SessionIds.Create(userId);
            var secret = SessionIds.Create();
            data[CurrentSecretKey] = SecretDigest(secret);
            var record = JwtRecordData.With(
                new SessionRecord
                {
                    Key = FamilyKey(familyId),
                    Kind = SessionRecordKind.RefreshToken,
                    UserId = userId,
                    Principal = principal,
                    AuthenticationScheme = _scheme,
                    CreatedAt = now,
                    LastSeenAt = now,
                    IdleExpiresAt = idle < absolute ? idle : absolute,
                    AbsoluteExpiresAt = absolute,
                },
                data);
            if (await state.Store.CreateAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return (JwtRefreshToken.Format(familyId, secret), record.ExpiresAt);
            }
        }

        throw new SessionStoreException("The store refused three new refresh-token families with fresh random keys.");
    }

    /// <summary>Makes room for one more family: revokes the user's oldest families of this issuer beyond the quota.</summary>
    private async ValueTask EvictOldestFamiliesAsync(State state, string userId, CancellationToken cancellationToken)
    {
        var max = state.Options.MaxRefreshTokenFamiliesPerUser;
        var now = _time.GetUtcNow();
        var families = (await state.Store.ListAsync(userId, SessionRecordKind.RefreshToken, cancellationToken).ConfigureAwait(false))
            .Where(r => !r.IsExpired(now) && IsOwnFamily(state, r))
            .ToList();
        var excess = families.Count - max + 1;
        if (excess <= 0)
        {
            return;
        }

        families.Sort(static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        for (var i = 0; i < excess; i++)
        {
            await state.Store.RemoveAsync(families[i].Key, cancellationToken).ConfigureAwait(false);
        }

        _logger.RefreshFamiliesEvicted(userId, max, excess);
    }

    private async ValueTask<AccessTokenValidationResult> CheckRevocationAsync(
        State state, ClaimsPrincipal principal, string? tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (state.Options.EnableTokenIdDenylist && tokenId is not null)
        {
            var denied = await state.Store.GetAsync(DenylistKey(tokenId), cancellationToken).ConfigureAwait(false);
            if (denied is not null && denied.Kind == SessionRecordKind.RevokedToken)
            {
                return AccessTokenValidationResult.Failure(TokenValidationError.Revoked);
            }
        }

        if (state.Options.EnableUserNotBefore && principal.FindFirst(JwtClaimNames.Sub)?.Value is { Length: > 0 } userId)
        {
            var duration = state.Options.UserNotBeforeCacheDuration;
            if (!_notBefore.TryGet(userId, duration, out var stamp))
            {
                var record = await state.Store.GetAsync(NotBeforeKey(state, userId), cancellationToken).ConfigureAwait(false);
                stamp = record is { Kind: SessionRecordKind.AccessTokenNotBefore } ? ReadStamp(record) : null;
                if (duration > TimeSpan.Zero)
                {
                    _notBefore.Add(userId, stamp);
                }
            }

            // Whole seconds on both sides: a token issued within the stamp's second is refused too (safe side).
            if (stamp is { } notBefore && !(long.TryParse(principal.FindFirst(JwtClaimNames.Iat)?.Value, out var issuedAt) && issuedAt > notBefore))
            {
                return AccessTokenValidationResult.Failure(TokenValidationError.Revoked);
            }
        }

        return AccessTokenValidationResult.Success(principal, tokenId, expiresAt);
    }

    /// <summary>Whether a family was started by this scheme's issuer for this scheme's audience.</summary>
    private static bool IsOwnFamily(State state, SessionRecord record) =>
        string.Equals(GetString(record, IssuerKey), state.Issuer, StringComparison.Ordinal)
        && string.Equals(GetString(record, SchemeAudienceKey), state.Audience, StringComparison.Ordinal);

    private TokenRefreshResult Refused(TokenRefreshError error)
    {
        _logger.RefreshRefused(error);
        return TokenRefreshResult.Failure(error);
    }

    private static SessionKey FamilyKey(string familyId) => SessionKey.FromSessionId(FamilyPrefix + familyId);

    private static SessionKey DenylistKey(string tokenId) => SessionKey.FromSessionId(DenylistPrefix + tokenId);

    private static SessionKey NotBeforeKey(State state, string userId) => SessionKey.FromSessionId(NotBeforePrefix + state.Issuer + "\n" + userId);

    private static byte[] SecretDigest(string secret)
    {
        var digest = new byte[SHA256.HashSizeInBytes];
        SecretDigest(secret, digest);
        return digest;
    }

    private static void SecretDigest(ReadOnlySpan<char> secret, Span<byte> digest)
    {
        Span<byte> ascii = stackalloc byte[SessionIds.CharLength];
        var n = Encoding.ASCII.GetBytes(secret, ascii);
        SHA256.HashData(ascii[..n], digest);
    }

    private static long Generation(SessionRecord record) =>
        JwtRecordData.Get(record, GenerationKey) is { Length: 8 } g ? BinaryPrimitives.ReadInt64BigEndian(g) : 0;

    private static long? ReadStamp(SessionRecord record) =>
        JwtRecordData.Get(record, NotBeforeStampKey) is { Length: 8 } s ? BinaryPrimitives.ReadInt64BigEndian(s) : null;

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static string? GetString(SessionRecord record, string name) =>
        JwtRecordData.Get(record, name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    private sealed record State(
        JwtAuthenticationOptions Options, JwtKeySet Keys, JwtTokenReader Reader, JwtTokenWriter Writer, JwtStoreGuard Store, string Issuer, string Audience,
        ManagedKeySnapshot? Snapshot, ManagedKey? ManagedActive);

    /// <summary>The options of <see cref="Create(JwtAuthenticationOptions)"/>: one instance, never reloaded.</summary>
    private sealed class FixedOptionsMonitor(JwtAuthenticationOptions options) : IOptionsMonitor<JwtAuthenticationOptions>
    {
        public JwtAuthenticationOptions CurrentValue => options;

        public JwtAuthenticationOptions Get(string? name) => options;

        public IDisposable? OnChange(Action<JwtAuthenticationOptions, string?> listener) => null;
    }
}
