namespace AuthKit;

/// <summary>Per-call choices of <see cref="ITokenService.IssueAsync"/>.</summary>
public sealed class TokenIssueOptions
{
    /// <summary>Whether to issue a refresh token beside the access token.</summary>
    public bool IncludeRefreshToken { get; set; }

    /// <summary>The lifetime of the access token; the service default when <see langword="null"/>.</summary>
    public TimeSpan? AccessTokenLifetime { get; set; }

    /// <summary>The audience (<c>aud</c>); the service default when <see langword="null"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>The space-separated scopes (<c>scope</c>), if any.</summary>
    public string? Scope { get; set; }
}
