using System.Security.Claims;

namespace AuthKit;

/// <summary>Issues, validates, refreshes and revokes bearer tokens. Implemented by AuthKit.Jwt.</summary>
public interface ITokenService
{
    /// <summary>Issues an access token for <paramref name="principal"/>, and a refresh token when <see cref="TokenIssueOptions.IncludeRefreshToken"/> is set.</summary>
    ValueTask<IssuedTokens> IssueAsync(ClaimsPrincipal principal, TokenIssueOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Validates an access token to a principal, or to a typed failure. Never throws for bad input.</summary>
    ValueTask<AccessTokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>Spends a refresh token and issues a new pair (rotation). A spent token presented again revokes its whole family.</summary>
    ValueTask<TokenRefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Revokes the family of a refresh token.</summary>
    /// <returns><see langword="true"/> when a family was found and revoked.</returns>
    ValueTask<bool> RevokeRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Denies an access token by its <c>jti</c> until <paramref name="expiresAt"/> (needs the <c>jti</c> denylist switched on to take effect).</summary>
    ValueTask RevokeTokenIdAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Revokes every refresh family of a user.</summary>
    /// <returns>The number of refresh tokens removed.</returns>
    ValueTask<int> RevokeUserAsync(string userId, CancellationToken cancellationToken = default);
}
