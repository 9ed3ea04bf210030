namespace AuthKit;

/// <summary>What a <see cref="SessionRecord"/> stands for.</summary>
public enum SessionRecordKind : byte
{
    /// <summary>A browser (or API client) session.</summary>
    Session = 0,

    /// <summary>A refresh-token family: one record per family, holding the digest of its current token and its generation.</summary>
    RefreshToken = 1,

    /// <summary>A revoked access-token identifier (<c>jti</c>) kept until the token would have expired.</summary>
    RevokedToken = 2,

    /// <summary>
    /// Counts of the <see cref="ICredentialThrottle"/> for one user name or one client address (failures, attempts in flight,
    /// known clients), kept in a shared store so that every instance throttles together. Not indexed by user.
    /// </summary>
    CredentialThrottle = 3,

    /// <summary>
    /// A user's "not before" stamp: access tokens issued to the user up to that instant are refused. Filed without a user ID, so that
    /// removing the user's records ("sign out everywhere") does not remove it.
    /// </summary>
    AccessTokenNotBefore = 4,

    /// <summary>A managed key ring (<see cref="ManagedKeyRingOptions"/>): the keys every instance signs and verifies with.</summary>
    KeyRing = 5,
}
