using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Jwt;

/// <summary>
/// Options of one JWT bearer scheme and of its token service, bound from <c>AuthKit:Jwt</c> (the <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/>
/// scheme) or <c>AuthKit:Jwt:Schemes:{scheme}</c> (any other scheme).
/// </summary>
/// <remarks>
/// A plain property bag: setters never throw. Every rule is checked at start-up by one validator that reports every problem at once, each
/// naming the setting and the fix.
/// </remarks>
public sealed class JwtAuthenticationOptions : AuthenticationSchemeOptions
{
    private TimeSpan? _refreshTokenIdleLifetime;

    /// <summary>Creates the options with their defaults.</summary>
    public JwtAuthenticationOptions()
    {
        Events = new JwtAuthenticationEvents();
    }

    /// <summary>The issuer (<c>iss</c>) written in issued tokens and accepted on validation. Required, for example <c>https://shop.example</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) written in issued tokens and accepted on validation. Defaults to <see cref="Issuer"/> (an app that is its own API).</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Whether a token without <c>aud</c> is refused (<see langword="true"/> by default, as RFC 9068 requires). When <see langword="false"/>, a token
    /// without <c>aud</c> passes; a token with an <c>aud</c> none of whose values is accepted is still refused.
    /// </summary>
    /// <remarks>Turn it off only for tokens from an issuer that writes no audience (RFC 7515's examples); RFC 8725 §3.9 advises audience checks.</remarks>
    public bool RequireAudience { get; set; } = true;

    /// <summary>Further issuers accepted on validation (tokens from another issuer that shares keys).</summary>
    public IList<string> ValidIssuers { get; } = new List<string>();

    /// <summary>Further audiences accepted on validation.</summary>
    public IList<string> ValidAudiences { get; } = new List<string>();

    /// <summary>Keys built in code (<see cref="JwtSigningKey.FromSecret"/>, <see cref="JwtSigningKey.FromPem"/>, …). They come before <see cref="Keys"/>.</summary>
    public IList<JwtSigningKey> SigningKeys { get; } = new List<JwtSigningKey>();

    /// <summary>Keys from configuration (<c>AuthKit:Jwt:Keys:0:…</c>).</summary>
    public IList<JwtKeyOptions> Keys { get; } = new List<JwtKeyOptions>();

    /// <summary>The key ID (<c>kid</c>) of the key that signs; the others only validate. Defaults to the first key that can sign and is not retired.</summary>
    /// <remarks>Rotation: add the new key, publish it (JWKS) and wait for relying parties to fetch it, make it active, then retire and later remove the old one.</remarks>
    public string? ActiveKeyId { get; set; }

    /// <summary>The lifetime of access tokens (15 minutes by default).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The absolute lifetime of a refresh-token family, from the first issue (14 days by default). Rotation never extends it.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long an unused refresh token stays valid (sliding: each rotation starts a new period); capped by the family's
    /// <see cref="RefreshTokenLifetime"/>. Defaults to <see cref="RefreshTokenLifetime"/> (no idle limit).
    /// </summary>
    /// <remarks>A family is one record in the store whatever the number of rotations; it expires after this long unused.</remarks>
    public TimeSpan RefreshTokenIdleLifetime
    {
        get => _refreshTokenIdleLifetime ?? RefreshTokenLifetime;
        set => _refreshTokenIdleLifetime = value;
    }

    /// <summary>
    /// How long after a refresh token was spent a second use of it is answered as a lost race (<see cref="TokenRefreshError.Conflict"/>, no tokens)
    /// rather than as reuse that revokes the family. Zero (the default) is RFC 9700's strict rule.
    /// </summary>
    /// <remarks>
    /// A browser app whose tabs refresh at the same moment loses its whole family under the strict rule. A few seconds here keep it signed in; a
    /// stolen token replayed within that window still gets nothing, but does not revoke the family.
    /// </remarks>
    public TimeSpan RefreshTokenReuseInterval { get; set; }

    /// <summary>The tolerance applied to <c>exp</c> and <c>nbf</c> for clocks that differ between servers (30 seconds by default).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>typ</c> header of issued access tokens, <c>at+jwt</c> (RFC 9068).</summary>
    public string AccessTokenType { get; set; } = JwtAuthenticationDefaults.AccessTokenType;

    /// <summary>
    /// The <c>typ</c> headers accepted on validation (compared ignoring case, with or without <c>application/</c>); <c>at+jwt</c> by default.
    /// An app that accepts tokens from an issuer that writes <c>typ: JWT</c> may add <c>JWT</c>.
    /// </summary>
    public IList<string> AcceptedTokenTypes { get; } = new List<string> { JwtAuthenticationDefaults.AccessTokenType };

    /// <summary>Whether a token without a <c>typ</c> header is refused (<see langword="true"/> by default), so an ID token or other JWT is never taken for an access token.</summary>
    public bool RequireTokenType { get; set; } = true;

    /// <summary>The longest token accepted, in characters (8192 by default); longer ones are refused before any decoding.</summary>
    public int MaxTokenLength { get; set; } = 8192;

    /// <summary>Whether challenges carry an <c>error_description</c> (off by default: details go to the logs).</summary>
    public bool IncludeErrorDetails { get; set; }

    /// <summary>The <c>realm</c> of the <c>WWW-Authenticate</c> challenge, if any.</summary>
    public string? Realm { get; set; }

    /// <summary>The name of a cookie the access token is also read from (browser apps); <see langword="null"/> (the default) reads only the <c>Authorization</c> header. Never read from the query string.</summary>
    /// <remarks>A cookie is sent by the browser on cross-site requests too: pair it with <c>SameSite</c> and antiforgery protection for state-changing endpoints.</remarks>
    public string? CookieName { get; set; }

    /// <summary>Whether validation checks the <c>jti</c> denylist (one store lookup per validation). Off by default.</summary>
    public bool EnableTokenIdDenylist { get; set; }

    /// <summary>
    /// Whether validation checks the user's "not before" stamp, so that <see cref="ITokenService.RevokeAllAccessTokensAsync"/> ("sign out
    /// everywhere") makes access tokens already issued to the user fail too. Off by default.
    /// </summary>
    /// <remarks>
    /// The cost: one store read per validation for each user, or one per <see cref="UserNotBeforeCacheDuration"/> (the stamp is cached in
    /// memory, per instance, absent stamps too). Without it, "sign out everywhere" ends sessions and refresh-token families, but access tokens
    /// already issued stay valid until they expire (<see cref="AccessTokenLifetime"/>).
    /// </remarks>
    public bool EnableUserNotBefore { get; set; }

    /// <summary>
    /// How long an instance caches a user's "not before" stamp (or its absence) before reading it again, with <see cref="EnableUserNotBefore"/>;
    /// 10 seconds by default, zero reads the store on every validation. Another instance refuses revoked tokens at most this long after the revocation;
    /// the instance that revoked refuses them at once.
    /// </summary>
    public TimeSpan UserNotBeforeCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most refresh-token families a user holds at once (a family is what one sign-in with a refresh token starts; 100 by default).
    /// Issuing one more evicts the user's oldest families, so a user (or a client in a loop) can never fill the store for other users.
    /// </summary>
    /// <remarks>The count is read when a family starts; concurrent sign-ins of one user may exceed it briefly, until the next sign-in evicts.</remarks>
    public int MaxRefreshTokenFamiliesPerUser { get; set; } = 100;

    /// <summary>
    /// The longest one store call may take (the <c>jti</c> denylist lookup, each read or write of a refresh or revocation). A slower or failing store
    /// answers 503 Service Unavailable: never a 500, never an authenticated request. Default 2 seconds; at most 1 minute.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Store failures are logged at most once per this interval (event 7030; each failure still answers 503). Default 1 minute.</summary>
    public TimeSpan StoreErrorLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The claim type of <see cref="System.Security.Claims.ClaimsIdentity.Name"/> on validated principals, <c>sub</c> by default (claims keep their JWT names).</summary>
    public string NameClaimType { get; set; } = "sub";

    /// <summary>The claim type of roles on validated principals (<c>IsInRole</c>, <c>[Authorize(Roles = …)]</c>), <c>role</c> by default.</summary>
    public string RoleClaimType { get; set; } = "role";

    /// <summary>
    /// Whether, when no key is configured and the environment is Development, an ES256 key is generated and kept in a file beside AuthKit's key file
    /// (<c>jwt-keys.json</c>) so tokens survive restarts. <see langword="true"/> by default. Outside Development a missing key stops the host at start.
    /// </summary>
    public bool GenerateDevelopmentKeys { get; set; } = true;

    /// <summary>
    /// The algorithm of the keys AuthKit creates for this scheme when keys are managed (<c>UseManagedKeys()</c>) and the scheme has no
    /// configured key: <c>ES256</c> by default (its public keys are published in the JWKS); <c>HS256</c>/<c>HS384</c>/<c>HS512</c> keep tokens
    /// verifiable only by the fleet, RS/PS/ES variants are published.
    /// </summary>
    public string ManagedKeyAlgorithm { get; set; } = "ES256";

    /// <summary>The handler's events; replace them or set their delegates.</summary>
    public new JwtAuthenticationEvents Events
    {
        get => (JwtAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Errors met while building keys from <see cref="Keys"/>, reported by the options validator.</summary>
    internal List<string> KeyErrors { get; } = [];

    /// <summary>Whether the scheme signs with managed keys (set by the post-configure step: managed keys on, no configured key).</summary>
    internal bool UsesManagedKeys { get; set; }

    /// <summary>The resolved key set, built by the post-configure step.</summary>
    internal Internal.JwtKeySet? KeySet { get; set; }
}
