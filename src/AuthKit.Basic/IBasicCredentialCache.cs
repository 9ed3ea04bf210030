namespace AuthKit.Basic;

/// <summary>
/// The verified-credential cache of the Basic schemes. Entries are keyed by HMAC-SHA256(key-ring key, user ":" password) and hold the
/// principal only: never the password nor a plain hash of it.
/// </summary>
public interface IBasicCredentialCache
{
    /// <summary>
    /// Drops every cached credential of <paramref name="userName"/> (compared case-insensitively, in every Basic scheme), so the next
    /// request runs the validator again. Call it when a password changes or a user is disabled.
    /// </summary>
    /// <param name="userName">The user-id as clients send it in the <c>Authorization</c> header.</param>
    /// <returns>The number of entries removed.</returns>
    int InvalidateUser(string userName);

    /// <summary>Drops every cached credential.</summary>
    void Clear();
}
