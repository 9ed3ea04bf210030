using System.Security.Claims;

namespace AuthKit;

/// <summary>Issues, validates, refreshes and revokes bearer tokens. Implemented by AuthKit.Jwt.</summary>
/// <remarks>
/// <para>Each AuthKit JWT scheme resolves its token service as a keyed service under the scheme name, so an app may replace it
/// (for one scheme, or for all); the bearer handler and the token endpoints use the replacement.</para>
/// <para><b>How this interface evolves.</b> Third parties implement it, so it grows only by default interface members whose
/// default is correct (possibly slower) for every existing implementation. A member that cannot have a correct default comes
/// as a new interface, never as a breaking addition here.</para>
/// </remarks>
public interface ITokenService
{
    /// <summary>Issues an access token for <paramref name="principal"/>, and a refresh token when <see cref="TokenIssueOptions.IncludeRefreshToken"/> is set.</summary>
    ValueTask<IssuedTokens> IssueAsync(ClaimsPrincipal principal, TokenIssueOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Validates an access token to a principal, or to a typed failure. Never throws for bad input.</summary>
    ValueTask<AccessTokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Spends a refresh token and issues a new pair (rotation). A token of the family other than its current one (an older, spent token)
    /// revokes the whole family.
    /// </summary>
    ValueTask<TokenRefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Revokes the family of a refresh token.</summary>
    /// <returns><see langword="true"/> when a family was found and revoked.</returns>
    ValueTask<bool> RevokeRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Denies an access token by its <c>jti</c> until <paramref name="expiresAt"/> (needs the <c>jti</c> denylist switched on to take effect).</summary>
    ValueTask RevokeTokenIdAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Revokes every refresh-token family of a user.</summary>
    /// <returns>The number of families revoked.</returns>
    ValueTask<int> RevokeAllRefreshTokensAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes every access token already issued to a user fail validation, by recording a per-user "not before" stamp: tokens issued up to
    /// now are refused (<see cref="TokenValidationError.Revoked"/>); tokens issued afterwards are not affected.
    /// </summary>
    /// <remarks>
    /// Takes effect where validation checks the stamp (an opt-in of the implementation, because it costs a store read per validation or per
    /// cache interval). Without it, access tokens already issued stay valid until they expire.
    /// </remarks>
    ValueTask RevokeAllAccessTokensAsync(string userId, CancellationToken cancellationToken = default);
}
