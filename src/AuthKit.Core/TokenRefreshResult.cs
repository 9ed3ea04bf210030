using System.Diagnostics.CodeAnalysis;

namespace AuthKit;

/// <summary>The outcome of <see cref="ITokenService.RefreshAsync"/>.</summary>
public sealed class TokenRefreshResult
{
    private TokenRefreshResult(IssuedTokens? tokens, TokenRefreshError error)
    {
        Tokens = tokens;
        Error = error;
    }

    /// <summary>Whether new tokens were issued.</summary>
    [MemberNotNullWhen(true, nameof(Tokens))]
    public bool Succeeded => Error == TokenRefreshError.None;

    /// <summary>The new access and refresh tokens.</summary>
    public IssuedTokens? Tokens { get; }

    /// <summary>Why the refresh was refused, or <see cref="TokenRefreshError.None"/>.</summary>
    public TokenRefreshError Error { get; }

    /// <summary>A successful refresh.</summary>
    public static TokenRefreshResult Success(IssuedTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return new TokenRefreshResult(tokens, TokenRefreshError.None);
    }

    /// <summary>A refused refresh.</summary>
    public static TokenRefreshResult Failure(TokenRefreshError error)
    {
        if (error == TokenRefreshError.None)
        {
            throw new ArgumentOutOfRangeException(nameof(error), "A failure needs a reason.");
        }

        return new TokenRefreshResult(null, error);
    }
}
