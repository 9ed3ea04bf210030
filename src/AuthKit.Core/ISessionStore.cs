namespace AuthKit;

/// <summary>
/// Persists server-side session records (and other records kept the same way, such as refresh tokens).
/// </summary>
/// <remarks>
/// <para>The contract every implementation keeps:</para>
/// <list type="bullet">
/// <item>The store is keyed by <see cref="SessionKey"/>, the SHA-256 digest of the client's secret ID; it never sees the ID itself.</item>
/// <item>Not found is not an error: <see cref="GetAsync"/> returns <see langword="null"/> for a missing, expired or malformed record.
/// An exception (preferably <see cref="SessionStoreException"/>) means the store itself failed (disk, network).</item>
/// <item>Expiry is data: a record whose <see cref="SessionRecord.ExpiresAt"/> has passed is treated as absent by every method,
/// and the store sets its own time-to-live to that instant where it can.</item>
/// <item><see cref="CreateAsync"/> stores the record with version 1; <see cref="UpdateAsync"/> succeeds only while the stored
/// version equals <c>expectedVersion</c> and then stores the record with version <c>expectedVersion + 1</c>. Stores that cannot
/// make that atomic say so in <see cref="Capabilities"/>.</item>
/// <item>The per-user index behind <see cref="RemoveByUserAsync"/> and <see cref="ListByUserAsync"/> is exact where
/// <see cref="StoreCapabilities.ExactUserIndex"/> is set: a live record of a user is always listed and always removed by
/// <see cref="RemoveByUserAsync"/>, also when it is created or updated while that call runs.</item>
/// <item>A removal is final on every store: once <see cref="RemoveAsync"/> or <see cref="RemoveByUserAsync"/> has removed a
/// record, no <see cref="UpdateAsync"/> brings it back, not even one that read the record before the removal and writes
/// after it (that update returns <see langword="false"/>). Sign-out, "sign out everywhere" and refresh-token revocation
/// rely on it.</item>
/// </list>
/// <para>The <c>AuthKit.Testing</c> package holds this contract as tests (<c>SessionStoreConformanceTests</c>); a store
/// passes them all, or skips only the cases whose capability it does not claim.</para>
/// <para><b>How this interface grows.</b> Third parties implement it, so it only gains members with a default
/// implementation that is correct (if slower) for every existing store, built on the members above; a store overrides
/// the default when it can do better. A member that cannot have a correct default goes into a new interface that a store
/// implements beside this one, never into this one. New guarantees are announced as new <see cref="StoreCapabilities"/>
/// flags, which existing stores do not claim.</para>
/// </remarks>
public interface ISessionStore
{
    /// <summary>What this store guarantees.</summary>
    StoreCapabilities Capabilities { get; }

    /// <summary>Reads a record; <see langword="null"/> when it is missing, expired or unreadable.</summary>
    ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores a new record with version 1.</summary>
    /// <returns>
    /// <see langword="false"/> when a live record with the same key already exists, or when the key belonged to a record
    /// that was removed (a store may refuse such a key until that record's absolute expiry: IDs are never reused).
    /// </returns>
    ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces a record if its stored version still equals <paramref name="expectedVersion"/>; the stored version becomes <c>expectedVersion + 1</c>.</summary>
    /// <returns><see langword="false"/> when the record is gone, expired, or was changed by someone else.</returns>
    ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Removes a record.</summary>
    /// <returns><see langword="true"/> when a record was removed.</returns>
    ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default);

    /// <summary>Removes every record of a user ("sign out everywhere").</summary>
    /// <returns>The number of records removed.</returns>
    ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Lists the live records of a user ("your devices").</summary>
    IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, CancellationToken cancellationToken = default);
}
