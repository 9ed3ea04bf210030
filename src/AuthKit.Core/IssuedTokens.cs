namespace AuthKit;

/// <summary>What <see cref="ITokenService.IssueAsync"/> and a successful refresh return.</summary>
public sealed class IssuedTokens
{
    /// <summary>The access token (a compact JWS).</summary>
    public required string AccessToken { get; init; }

    /// <summary>The token type, <c>Bearer</c>.</summary>
    public string TokenType { get; init; } = "Bearer";

    /// <summary>The access token's <c>jti</c>.</summary>
    public required string TokenId { get; init; }

    /// <summary>When the access token expires.</summary>
    public required DateTimeOffset AccessTokenExpiresAt { get; init; }

    /// <summary>The refresh token, when one was asked for.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>When the refresh token (and its family) expires.</summary>
    public DateTimeOffset? RefreshTokenExpiresAt { get; init; }
}
