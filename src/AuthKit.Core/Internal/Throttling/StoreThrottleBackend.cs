using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AuthKit.Internal.Throttling;

/// <summary>
/// The throttle's state as records in a shared <see cref="ISessionStore"/>: one record per user name, one per client address,
/// each changed by the store's compare-and-set <see cref="ISessionStore.UpdateAsync"/> (read, decide, write if the version is
/// unchanged, else read again). A reservation takes the client's slot, then the user's, and gives the client's back if the
/// user refuses: a race can only refuse an attempt, never let an extra one through.
/// </summary>
internal sealed class StoreThrottleBackend(ISessionStore store, string applicationName, ILogger logger) : IThrottleBackend
{
    private const int MaxAttempts = 16;

    public ValueTask<CredentialThrottleStatus> TryReserveAsync(string userName, ThrottleClient client, long leaseId, long now, ThrottleLimits limits, CancellationToken cancellationToken) =>
        ReserveAsync(userName, client, leaseId, now, limits, cancellationToken);

    public async ValueTask<CredentialThrottleStatus> CheckAsync(string userName, ThrottleClient client, long now, ThrottleLimits limits, CancellationToken cancellationToken)
    {
        var clientRead = store.GetAsync(ClientKey(client), cancellationToken);
        var userRead = store.GetAsync(UserKey(userName), cancellationToken);
        var clientRecord = await clientRead.ConfigureAwait(false);
        var userRecord = await userRead.ConfigureAwait(false);
        var status = ThrottleRules.DecideClient(ThrottleStateFormat.ReadCounter(clientRecord), now, limits, reserving: false);
        return status.IsThrottled ? status : ThrottleRules.DecideUser(ThrottleStateFormat.ReadUser(userRecord), client, now, limits, reserving: false);
    }

    public async ValueTask CompleteAsync(string userName, ThrottleClient client, long leaseId, ThrottleOutcome outcome, long now, ThrottleLimits limits, CancellationToken cancellationToken)
    {
        var clientDone = await ChangeAsync(
            ClientKey(client),
            ThrottleStateFormat.ReadCounter,
            counter =>
            {
                ThrottleRules.CompleteClient(counter, leaseId, outcome, now, limits);
                return CredentialThrottleStatus.NotThrottled;
            },
            ThrottleStateFormat.Write,
            counter => counter.ExpiresAt(limits.Window),
            now,
            cancellationToken).ConfigureAwait(false);
        var userDone = await ChangeAsync(
            UserKey(userName),
            ThrottleStateFormat.ReadUser,
            user =>
            {
                ThrottleRules.CompleteUser(user, client, leaseId, outcome, now, limits);
                return CredentialThrottleStatus.NotThrottled;
            },
            ThrottleStateFormat.Write,
            user => user.ExpiresAt(limits),
            now,
            cancellationToken).ConfigureAwait(false);
        if (!clientDone.Written || !userDone.Written)
        {
            logger.ThrottleStoreContention("record an attempt", MaxAttempts);
        }
    }

    private async ValueTask<CredentialThrottleStatus> ReserveAsync(string userName, ThrottleClient client, long leaseId, long now, ThrottleLimits limits, CancellationToken cancellationToken)
    {
        var clientKey = ClientKey(client);
        var reserved = await ChangeAsync(
            clientKey,
            ThrottleStateFormat.ReadCounter,
            counter =>
            {
                var status = ThrottleRules.DecideClient(counter, now, limits, reserving: true);
                if (!status.IsThrottled)
                {
                    ThrottleRules.ReserveClient(counter, leaseId, now);
                }

                return status;
            },
            ThrottleStateFormat.Write,
            counter => counter.ExpiresAt(limits.Window),
            now,
            cancellationToken).ConfigureAwait(false);
        if (!reserved.Written)
        {
            return reserved.Status.IsThrottled ? reserved.Status : Contended("reserve an attempt");
        }

        var user = await ChangeAsync(
            UserKey(userName),
            ThrottleStateFormat.ReadUser,
            state =>
            {
                var status = ThrottleRules.DecideUser(state, client, now, limits, reserving: true);
                if (!status.IsThrottled)
                {
                    ThrottleRules.ReserveUser(state, client, leaseId, now, limits);
                }

                return status;
            },
            ThrottleStateFormat.Write,
            state => state.ExpiresAt(limits),
            now,
            cancellationToken).ConfigureAwait(false);
        if (user.Written)
        {
            return CredentialThrottleStatus.NotThrottled;
        }

        // Give the client's slot back; if even that fails, it lapses on its own (ThrottleLimits.LeaseLifetime).
        await ChangeAsync(
            clientKey,
            ThrottleStateFormat.ReadCounter,
            counter =>
            {
                ThrottleRules.CompleteClient(counter, leaseId, ThrottleOutcome.Abandoned, now, limits);
                return CredentialThrottleStatus.NotThrottled;
            },
            ThrottleStateFormat.Write,
            counter => counter.ExpiresAt(limits.Window),
            now,
            CancellationToken.None).ConfigureAwait(false);
        return user.Status.IsThrottled ? user.Status : Contended("reserve an attempt");
    }

    /// <summary>
    /// Reads the record, applies <paramref name="change"/> and writes the result if nobody wrote in between; repeats otherwise.
    /// A throttled decision writes nothing.
    /// </summary>
    private async ValueTask<(CredentialThrottleStatus Status, bool Written)> ChangeAsync<TState>(
        SessionKey key,
        Func<SessionRecord?, TState> read,
        Func<TState, CredentialThrottleStatus> change,
        Func<TState, byte[]> write,
        Func<TState, long> expiresAt,
        long now,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            var state = read(record);
            var status = change(state);
            if (status.IsThrottled)
            {
                return (status, false);
            }

            // Kept at least a second, so a record emptied by this write still outlives the writes racing it.
            var expires = new DateTimeOffset(Math.Max(expiresAt(state), now + TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var at = new DateTimeOffset(now, TimeSpan.Zero);
            var next = new SessionRecord
            {
                Key = key,
                Kind = SessionRecordKind.CredentialThrottle,
                Data = new Dictionary<string, ReadOnlyMemory<byte>>(1, StringComparer.Ordinal) { [ThrottleStateFormat.DataKey] = write(state) },
                CreatedAt = record?.CreatedAt ?? at,
                LastSeenAt = at,
                IdleExpiresAt = expires,
                AbsoluteExpiresAt = expires,
                Version = record?.Version ?? 0,
            };
            var written = record is null
                ? await store.CreateAsync(next, cancellationToken).ConfigureAwait(false)
                : await store.UpdateAsync(next, record.Version, cancellationToken).ConfigureAwait(false);
            if (written)
            {
                return (status, true);
            }

            await Task.Yield();
        }

        return (CredentialThrottleStatus.NotThrottled, false);
    }

    private CredentialThrottleStatus Contended(string operation)
    {
        logger.ThrottleStoreContention(operation, MaxAttempts);
        return new CredentialThrottleStatus(CredentialThrottleLimit.Capacity, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// A store key no client can reach: the digest of bytes that start with 0xFF, which no UTF-8 text (every session ID and
    /// refresh token is text) ever does, so presenting a crafted cookie or token can never read, reset or remove throttle state.
    /// </summary>
    private SessionKey UserKey(string userName) => Key((byte)'u', Encoding.UTF8.GetBytes(userName.ToUpperInvariant()));

    private SessionKey ClientKey(ThrottleClient client)
    {
        var bytes = new byte[ThrottleClient.Size];
        client.WriteTo(bytes);
        return Key((byte)'c', bytes);
    }

    private SessionKey Key(byte kind, byte[] name)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0xFF]);
        hash.AppendData("AuthKit.CredentialThrottle/v1\0"u8);
        hash.AppendData(Encoding.UTF8.GetBytes(applicationName));
        hash.AppendData([0, kind, 0]);
        hash.AppendData(name);
        Span<byte> digest = stackalloc byte[SessionKey.Length];
        hash.GetHashAndReset(digest);
        return SessionKey.FromBytes(digest);
    }
}
