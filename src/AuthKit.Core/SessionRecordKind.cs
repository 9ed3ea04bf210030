namespace AuthKit;

/// <summary>What a <see cref="SessionRecord"/> stands for.</summary>
public enum SessionRecordKind : byte
{
    /// <summary>A browser (or API client) session.</summary>
    Session = 0,

    /// <summary>A refresh token of a token family.</summary>
    RefreshToken = 1,

    /// <summary>A revoked access-token identifier (<c>jti</c>) kept until the token would have expired.</summary>
    RevokedToken = 2,

    /// <summary>
    /// Counts of the <see cref="ICredentialThrottle"/> for one user name or one client address (failures, attempts in flight,
    /// known clients), kept in a shared store so that every instance throttles together. Not indexed by user.
    /// </summary>
    CredentialThrottle = 3,
}
