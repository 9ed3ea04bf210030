namespace AuthKit;

/// <summary>Why a refresh was refused. All of them answer <c>invalid_grant</c> to the client.</summary>
public enum TokenRefreshError
{
    /// <summary>No error: new tokens were issued.</summary>
    None = 0,

    /// <summary>The token is unknown or malformed, its family was revoked, or it was issued by another issuer or for another audience.</summary>
    Invalid = 1,

    /// <summary>The token or its family has expired.</summary>
    Expired = 2,

    /// <summary>The token is not the current one of its family (an older, spent token): the whole family is now revoked (RFC 9700 §4.14).</summary>
    Reused = 3,

    /// <summary>A concurrent refresh with the same token won.</summary>
    Conflict = 4,
}
