using System.Buffers.Binary;
using System.Security.Claims;
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
/// <para><c>AddJwt()</c> registers one as the <see cref="ITokenService"/>; create one directly only outside a host (tools, benchmarks).</para>
/// <para>Refresh tokens are opaque 256-bit values; the store holds only their SHA-256 digest. Each refresh spends the token and issues a new one in the same
/// family; a spent token presented again revokes the whole family (RFC 9700 §4.14). Every store call is bounded by <see cref="JwtAuthenticationOptions.StoreTimeout"/>; a store that fails
/// or times out surfaces as <see cref="SessionStoreException"/> from the issue (with a refresh token), refresh and revoke methods, and from
/// <see cref="ValidateAsync"/> only when the <c>jti</c> denylist is on (logged at most once per <see cref="JwtAuthenticationOptions.StoreErrorLogInterval"/>).</para>
/// </remarks>
public sealed class JwtTokenService : ITokenService
{
    private const string FamilyKey = "authkit.jwt.family";
    private const string SpentKey = "authkit.jwt.spent";
    private const string AudienceKey = "authkit.jwt.aud";
    private const string ScopeKey = "authkit.jwt.scope";
    private const string LifetimeKey = "authkit.jwt.atl";
    private const string DenylistPrefix = "jti:";

    private static readonly byte[] s_spent = [1];

    private readonly JwtAuthenticationOptions _options;
    private readonly JwtStoreGuard _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JwtTokenReader _reader;
    private readonly JwtTokenWriter _writer;
    private readonly string _scheme;
    private readonly string? _defaultAudience;
    private byte[]? _jwks;

    /// <summary>Creates a token service from options (keys, issuer, lifetimes).</summary>
    /// <param name="options">The options; their keys are resolved once, here.</param>
    /// <param name="store">Where refresh tokens and denied <c>jti</c>s are kept; a private memory store when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="authenticationScheme">The authentication type of validated identities; <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/> by default.</param>
    /// <exception cref="InvalidOperationException">The options are not valid (no issuer, no key, a key that cannot be read…).</exception>
    public JwtTokenService(JwtAuthenticationOptions options, ISessionStore? store = null, TimeProvider? timeProvider = null, ILogger<JwtTokenService>? logger = null, string? authenticationScheme = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _store = new JwtStoreGuard(
            store ?? new MemorySessionStore(Options.Create(new MemorySessionStoreOptions()), _time), _time, _logger, options.StoreTimeout, options.StoreErrorLogInterval);
        _scheme = authenticationScheme ?? JwtAuthenticationDefaults.AuthenticationScheme;
        var errors = new List<string>();
        var keys = options.KeySet ?? JwtKeySet.Build(options, errors);
        JwtAuthenticationOptionsValidator.Check(options, keys, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        if (keys.Active is null)
        {
            _logger.ValidationOnly();
        }

        Keys = keys.Keys;
        ActiveKey = keys.Active;
        _defaultAudience = options.Audience ?? options.Issuer;
        _reader = new JwtTokenReader(options, keys, _scheme);
        _writer = new JwtTokenWriter(options, keys);
    }

    /// <summary>Every key that validates tokens, the active one included.</summary>
    public IReadOnlyList<JwtSigningKey> Keys { get; }

    /// <summary>The key that signs new tokens, or <see langword="null"/> when the service only validates.</summary>
    public JwtSigningKey? ActiveKey { get; }

    /// <summary>The JSON Web Key Set of the public keys (<c>{"keys":[…]}</c>); HMAC keys are never in it.</summary>
    public string GetJwks() => Encoding.UTF8.GetString(JwksJson);

    /// <summary>The JWKS as UTF-8, built once.</summary>
    internal byte[] JwksJson => _jwks ??= BuildJwks();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The principal has no subject (a <c>sub</c> or <see cref="ClaimTypes.NameIdentifier"/> claim).</exception>
    /// <exception cref="InvalidOperationException">No key can sign.</exception>
    /// <exception cref="SessionStoreException">With a refresh token: the store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<IssuedTokens> IssueAsync(ClaimsPrincipal principal, TokenIssueOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        cancellationToken.ThrowIfCancellationRequested();
        var subject = JwtTokenWriter.GetSubject(principal);
        if (string.IsNullOrEmpty(subject))
        {
            throw new ArgumentException("The principal has no subject: add a 'sub' or ClaimTypes.NameIdentifier claim.", nameof(principal));
        }

        var lifetime = options?.AccessTokenLifetime ?? _options.AccessTokenLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, "options.AccessTokenLifetime");
        var audience = options?.Audience ?? _defaultAudience;
        var scope = options?.Scope;
        var now = _time.GetUtcNow();
        var access = IssueAccessToken(principal, subject, audience, scope, now, lifetime);
        if (options?.IncludeRefreshToken != true)
        {
            return access;
        }

        var familyId = SessionIds.Create();
        var data = new Dictionary<string, byte[]>(4, StringComparer.Ordinal) { [FamilyKey] = Encoding.UTF8.GetBytes(familyId) };
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
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, custom.Ticks);
            data[LifetimeKey] = bytes;
        }

        var (refreshToken, expiresAt) = await CreateRefreshTokenAsync(principal, subject, data, now, now + _options.RefreshTokenLifetime, cancellationToken).ConfigureAwait(false);
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
    /// <see cref="JwtAuthenticationOptions.EnableTokenIdDenylist"/> on, a store that fails or does not answer within
    /// <see cref="JwtAuthenticationOptions.StoreTimeout"/> is not bad input: it throws <see cref="SessionStoreException"/> (the bearer scheme answers
    /// 503), because neither "valid" nor "refused" would be true. Cancelling <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>.
    /// </remarks>
    /// <exception cref="SessionStoreException">The denylist lookup failed or timed out (only with the <c>jti</c> denylist on).</exception>
    public ValueTask<AccessTokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        TokenValidationError error;
        ClaimsPrincipal? principal;
        string? tokenId;
        DateTimeOffset expiresAt;
        try
        {
            error = _reader.Read(token, _time.GetUtcNow(), out principal, out tokenId, out expiresAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.ValidationError(ex);
            return new ValueTask<AccessTokenValidationResult>(AccessTokenValidationResult.Failure(TokenValidationError.Malformed));
        }

        if (error != TokenValidationError.None)
        {
            return new ValueTask<AccessTokenValidationResult>(AccessTokenValidationResult.Failure(error));
        }

        if (_options.EnableTokenIdDenylist && tokenId is not null)
        {
            return CheckDenylistAsync(principal!, tokenId, expiresAt, cancellationToken);
        }

        return new ValueTask<AccessTokenValidationResult>(AccessTokenValidationResult.Success(principal!, tokenId, expiresAt));
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<TokenRefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (refreshToken is null || !SessionIds.IsWellFormed(refreshToken))
        {
            return Refused(TokenRefreshError.Invalid);
        }

        var key = SessionKey.FromSessionId(refreshToken);
        var record = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Kind != SessionRecordKind.RefreshToken || record.UserId is null || record.Principal is null
            || GetString(record, FamilyKey) is not { } familyId)
        {
            return Refused(TokenRefreshError.Invalid);
        }

        var now = _time.GetUtcNow();
        if (record.IsExpired(now))
        {
            return Refused(TokenRefreshError.Expired);
        }

        if (record.Data.ContainsKey(SpentKey))
        {
            if (now - record.LastSeenAt < _options.RefreshTokenReuseInterval)
            {
                _logger.RefreshConflict();
                return TokenRefreshResult.Failure(TokenRefreshError.Conflict);
            }

            var removed = await RemoveFamilyAsync(record.UserId, familyId, cancellationToken).ConfigureAwait(false);
            _logger.RefreshTokenReused(familyId, removed);
            return TokenRefreshResult.Failure(TokenRefreshError.Reused);
        }

        var spentData = new Dictionary<string, byte[]>(record.Data, StringComparer.Ordinal) { [SpentKey] = s_spent };
        var spent = record with { Data = spentData, LastSeenAt = now };
        if (!await _store.UpdateAsync(spent, record.Version, cancellationToken).ConfigureAwait(false))
        {
            // Someone else changed the record first: a concurrent refresh with the same token won, or the family was revoked.
            var current = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return Refused(TokenRefreshError.Invalid);
            }

            _logger.RefreshConflict();
            return TokenRefreshResult.Failure(TokenRefreshError.Conflict);
        }

        var principal = record.Principal;
        var subject = JwtTokenWriter.GetSubject(principal) ?? record.UserId;
        var audience = GetString(record, AudienceKey) ?? _defaultAudience;
        var scope = GetString(record, ScopeKey);
        var lifetime = record.Data.TryGetValue(LifetimeKey, out var l) && l.Length == 8
            ? TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(l))
            : _options.AccessTokenLifetime;
        var newData = new Dictionary<string, byte[]>(record.Data, StringComparer.Ordinal);
        newData.Remove(SpentKey);
        var (newRefresh, refreshExpires) = await CreateRefreshTokenAsync(principal, record.UserId, newData, now, record.AbsoluteExpiresAt, cancellationToken).ConfigureAwait(false);
        var access = IssueAccessToken(principal, subject, audience, scope, now, lifetime);
        return TokenRefreshResult.Success(new IssuedTokens
        {
            AccessToken = access.AccessToken,
            TokenId = access.TokenId,
            AccessTokenExpiresAt = access.AccessTokenExpiresAt,
            RefreshToken = newRefresh,
            RefreshTokenExpiresAt = refreshExpires,
        });
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<bool> RevokeRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (refreshToken is null || !SessionIds.IsWellFormed(refreshToken))
        {
            return false;
        }

        var record = await _store.GetAsync(SessionKey.FromSessionId(refreshToken), cancellationToken).ConfigureAwait(false);
        if (record is null || record.Kind != SessionRecordKind.RefreshToken || record.UserId is null || GetString(record, FamilyKey) is not { } familyId)
        {
            return false;
        }

        var removed = await RemoveFamilyAsync(record.UserId, familyId, cancellationToken).ConfigureAwait(false);
        _logger.RefreshFamilyRevoked(familyId, removed);
        return true;
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask RevokeTokenIdAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();

        // Kept until the token could no longer validate anyway: its expiry plus the clock skew.
        var until = expiresAt + _options.ClockSkew;
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
        await _store.CreateAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="SessionStoreException">The store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>.</exception>
    public async ValueTask<int> RevokeUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var records = await _store.ListAsync(userId, SessionRecordKind.RefreshToken, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var record in records)
        {
            if (await _store.RemoveAsync(record.Key, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    private IssuedTokens IssueAccessToken(ClaimsPrincipal principal, string subject, string? audience, string? scope, DateTimeOffset now, TimeSpan lifetime)
    {
        var tokenId = JwtTokenWriter.NewTokenId();

        // Whole seconds, as the token carries them, so ExpiresAt matches the token's exp.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expires = issuedAt + lifetime;
        var token = _writer.Write(principal, subject, audience, scope, issuedAt, expires, tokenId);
        return new IssuedTokens { AccessToken = token, TokenId = tokenId, AccessTokenExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()) };
    }

    private async ValueTask<(string Token, DateTimeOffset ExpiresAt)> CreateRefreshTokenAsync(
        ClaimsPrincipal principal, string userId, Dictionary<string, byte[]> data, DateTimeOffset now, DateTimeOffset familyExpiresAt, CancellationToken cancellationToken)
    {
        var idle = now + _options.RefreshTokenIdleLifetime;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var token = SessionIds.Create(userId);
            var record = new SessionRecord
            {
                Key = SessionKey.FromSessionId(token),
                Kind = SessionRecordKind.RefreshToken,
                UserId = userId,
                Principal = principal,
                AuthenticationScheme = _scheme,
                Data = data,
                CreatedAt = now,
                LastSeenAt = now,
                IdleExpiresAt = idle < familyExpiresAt ? idle : familyExpiresAt,
                AbsoluteExpiresAt = familyExpiresAt,
            };
            if (await _store.CreateAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return (token, record.ExpiresAt);
            }
        }

        throw new SessionStoreException("The store refused three new refresh-token records with fresh random keys.");
    }

    private async ValueTask<int> RemoveFamilyAsync(string userId, string familyId, CancellationToken cancellationToken)
    {
        var keys = new List<SessionKey>();
        foreach (var record in await _store.ListAsync(userId, SessionRecordKind.RefreshToken, cancellationToken).ConfigureAwait(false))
        {
            if (GetString(record, FamilyKey) == familyId)
            {
                keys.Add(record.Key);
            }
        }

        var removed = 0;
        foreach (var key in keys)
        {
            if (await _store.RemoveAsync(key, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    private async ValueTask<AccessTokenValidationResult> CheckDenylistAsync(ClaimsPrincipal principal, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var record = await _store.GetAsync(DenylistKey(tokenId), cancellationToken).ConfigureAwait(false);
        if (record is not null && record.Kind == SessionRecordKind.RevokedToken)
        {
            return AccessTokenValidationResult.Failure(TokenValidationError.Revoked);
        }

        return AccessTokenValidationResult.Success(principal, tokenId, expiresAt);
    }

    private byte[] BuildJwks()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in Keys)
            {
                if (!key.IsSymmetric)
                {
                    key.WritePublicJwk(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private TokenRefreshResult Refused(TokenRefreshError error)
    {
        _logger.RefreshRefused(error);
        return TokenRefreshResult.Failure(error);
    }

    private static SessionKey DenylistKey(string tokenId) => SessionKey.FromSessionId(DenylistPrefix + tokenId);

    private static string? GetString(SessionRecord record, string name) =>
        record.Data.TryGetValue(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
