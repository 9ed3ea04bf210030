using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace AuthKit;

/// <summary>The outcome of <see cref="ITokenService.ValidateAsync"/>.</summary>
public sealed class AccessTokenValidationResult
{
    private AccessTokenValidationResult(ClaimsPrincipal? principal, TokenValidationError error, string? tokenId, DateTimeOffset? expiresAt)
    {
        Principal = principal;
        Error = error;
        TokenId = tokenId;
        ExpiresAt = expiresAt;
    }

    /// <summary>Whether the token is valid.</summary>
    [MemberNotNullWhen(true, nameof(Principal))]
    public bool Succeeded => Error == TokenValidationError.None;

    /// <summary>The principal of a valid token.</summary>
    public ClaimsPrincipal? Principal { get; }

    /// <summary>Why the token was refused, or <see cref="TokenValidationError.None"/>.</summary>
    public TokenValidationError Error { get; }

    /// <summary>The token's <c>jti</c>, when it could be read.</summary>
    public string? TokenId { get; }

    /// <summary>The token's expiry, when it could be read.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>A valid token.</summary>
    public static AccessTokenValidationResult Success(ClaimsPrincipal principal, string? tokenId, DateTimeOffset? expiresAt)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new AccessTokenValidationResult(principal, TokenValidationError.None, tokenId, expiresAt);
    }

    /// <summary>A refused token.</summary>
    public static AccessTokenValidationResult Failure(TokenValidationError error)
    {
        if (error == TokenValidationError.None)
        {
            throw new ArgumentOutOfRangeException(nameof(error), "A failure needs a reason.");
        }

        return new AccessTokenValidationResult(null, error, null, null);
    }
}
