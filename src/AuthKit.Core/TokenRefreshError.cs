namespace AuthKit;

/// <summary>Why a refresh was refused. All of them answer <c>invalid_grant</c> to the client.</summary>
public enum TokenRefreshError
{
    /// <summary>No error: new tokens were issued.</summary>
    None = 0,

    /// <summary>The token is unknown, malformed, or its family was revoked.</summary>
    Invalid,

    /// <summary>The token or its family has expired.</summary>
    Expired,

    /// <summary>The token was already spent: its whole family is now revoked (RFC 9700 §4.14).</summary>
    Reused,

    /// <summary>A concurrent refresh with the same token won.</summary>
    Conflict,
}
