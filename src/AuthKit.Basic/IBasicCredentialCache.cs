namespace AuthKit.Basic;

/// <summary>
/// The verified-credential cache of the Basic schemes. Entries are keyed by <see cref="BasicCredentialCacheKey"/> (an HMAC of the
/// credentials under a key-ring key) and hold the principal only: never the password nor a plain hash of it.
/// </summary>
/// <remarks>
/// <para>
/// The default keeps entries in process memory, bounded by <see cref="BasicAuthenticationOptions.CredentialCacheSize"/>. Replace it
/// by registering your own <see cref="IBasicCredentialCache"/> before or after <c>AddBasic</c>: the handler uses whatever the
/// container returns. A hit is served only when the <see cref="ICredentialThrottle"/> does not throttle the entry's user for the
/// client, so a cache can never answer the guesses the throttle refuses.
/// </para>
/// <para>This interface grows only by default interface members.</para>
/// </remarks>
public interface IBasicCredentialCache
{
    /// <summary>Looks a verified credential up.</summary>
    /// <param name="authenticationScheme">The Basic scheme asking (each scheme has its own entries).</param>
    /// <param name="key">The MAC of the credentials the client sent.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none or it has expired.</returns>
    ValueTask<BasicCredentialCacheEntry?> GetAsync(string authenticationScheme, BasicCredentialCacheKey key, CancellationToken cancellationToken);

    /// <summary>Remembers a credential the validator accepted.</summary>
    /// <param name="authenticationScheme">The Basic scheme.</param>
    /// <param name="key">The MAC of the credentials.</param>
    /// <param name="entry">What to remember.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted.</param>
    /// <returns>
    /// <see langword="false"/> when the entry was refused because the user was invalidated after
    /// <see cref="BasicCredentialCacheEntry.ValidationStartedAt"/>.
    /// </returns>
    ValueTask<bool> SetAsync(string authenticationScheme, BasicCredentialCacheKey key, BasicCredentialCacheEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Drops every cached credential of <paramref name="userName"/> (compared case-insensitively, in every Basic scheme), so the next
    /// request runs the validator again. Call it when a password changes or a user is disabled.
    /// </summary>
    /// <remarks>
    /// The default cache lives in each process: on several instances, call it on every instance (for example from a message your
    /// instances subscribe to), or keep <see cref="BasicAuthenticationOptions.CredentialCacheLifetime"/> short.
    /// </remarks>
    /// <param name="userName">The user-id as clients send it in the <c>Authorization</c> header.</param>
    /// <returns>The number of entries removed.</returns>
    int InvalidateUser(string userName);

    /// <summary>Drops every cached credential (in this process, for the default cache).</summary>
    void Clear();
}
