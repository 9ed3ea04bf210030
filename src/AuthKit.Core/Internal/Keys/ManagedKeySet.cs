using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace AuthKit.Internal.Keys;

/// <summary>
/// One managed key ring (the cookie keys, or one JWT scheme's keys): read from the store, rotated by whichever instance
/// sees a change due first (compare-and-set, so racing instances agree on one key), and held as an immutable snapshot.
/// </summary>
internal sealed class ManagedKeySet
{
    private const string DataKey = "keys";
    private const int MaxAttempts = 8;

    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuthKitMetrics? _metrics;
    private readonly ManagedKeyTimings _timings;
    private readonly byte[]? _keyEncryptionKey;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private ManagedKeySnapshot? _snapshot;
    private string? _loggedActive;
    private string? _loadError;

    public ManagedKeySet(string name, string algorithm, string applicationName, ManagedKeyTimings timings, byte[]? keyEncryptionKey,
        ISessionStore store, TimeProvider time, ILogger logger, AuthKitMetrics? metrics)
    {
        Name = name;
        Algorithm = algorithm;
        _timings = timings;
        _keyEncryptionKey = keyEncryptionKey;
        _store = store;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        StoreKey = KeyFor(applicationName, name);
    }

    /// <summary>The ring's name: <c>cookies</c>, or <c>jwt:{scheme}</c>.</summary>
    public string Name { get; }

    /// <summary>The algorithm of the keys AuthKit creates for this ring.</summary>
    public string Algorithm { get; }

    /// <summary>Where the ring lives in the store: the digest of bytes no client-supplied ID can produce.</summary>
    public SessionKey StoreKey { get; }

    public ManagedKeyTimings Timings => _timings;

    /// <summary>The keys, once read; a <see cref="SessionStoreException"/> until the store has answered once.</summary>
    public ManagedKeySnapshot Snapshot => Volatile.Read(ref _snapshot) ?? throw NotLoaded();

    /// <summary>The keys, or <see langword="null"/> before the first successful read.</summary>
    public ManagedKeySnapshot? TryGetSnapshot() => Volatile.Read(ref _snapshot);

    /// <summary>
    /// Reads the ring, creates the next key or drops deleted ones when due (one instance wins each change), and publishes the
    /// result. A configuration problem (the key-encryption key) throws <see cref="InvalidOperationException"/> naming the setting.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var record = await _store.GetAsync(StoreKey, cancellationToken).ConfigureAwait(false);
                var document = Read(record);
                var now = _time.GetUtcNow();
                var events = new List<(string Event, ManagedKeyEntry Key)>();
                if (Plan(document, now, events))
                {
                    var written = await WriteAsync(record, document, now, cancellationToken).ConfigureAwait(false);
                    if (!written)
                    {
                        // Another instance changed the ring first: read theirs and plan again.
                        continue;
                    }

                    foreach (var (name, key) in events)
                    {
                        Report(name, key);
                    }
                }

                Publish(document, now);
                return;
            }

            throw new SessionStoreException($"AuthKit: the managed key ring '{Name}' changed under every one of {MaxAttempts} attempts to update it.");
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>When the next thing happens to this ring (a key activates or is deleted, or a successor is due), if sooner than a refresh.</summary>
    public DateTimeOffset? NextEvent(DateTimeOffset now)
    {
        if (TryGetSnapshot() is not { } snapshot)
        {
            return null;
        }

        DateTimeOffset? next = null;
        foreach (var key in snapshot.Keys)
        {
            Consider(key.ActivatesAt);
            Consider(key.DeletesAt);
            Consider(key.ActivatesAt + _timings.KeyLifetime - _timings.PropagationDelay);
        }

        return next;

        void Consider(DateTimeOffset? at)
        {
            if (at is { } t && t > now && (next is null || t < next))
            {
                next = t;
            }
        }
    }

    /// <summary>
    /// Applies the lifecycle to <paramref name="document"/> at <paramref name="now"/>; returns whether it changed. Pure: the same
    /// document and instant give the same decision on every instance.
    /// </summary>
    internal bool Plan(ManagedKeyDocument document, DateTimeOffset now, List<(string Event, ManagedKeyEntry Key)> events)
    {
        var changed = false;
        for (var i = document.Keys.Count - 1; i >= 0; i--)
        {
            var entry = document.Keys[i];
            if (entry.DeletesAt is { } deletes && deletes <= now)
            {
                document.Keys.RemoveAt(i);
                events.Add(("deleted", entry));
                changed = true;
            }
        }

        if (document.Keys.Count == 0)
        {
            // The first key signs at once: nothing was signed before it, so there is nothing to propagate ahead of.
            var first = NewEntry(now, now);
            document.Keys.Add(first);
            events.Add(("created", first));
            return true;
        }

        var latest = document.Keys.MaxBy(k => k.ActivatesAt)!;
        var due = latest.ActivatesAt + _timings.KeyLifetime - _timings.PropagationDelay;
        if (latest.ActivatesAt <= now && now >= due)
        {
            var activates = latest.ActivatesAt + _timings.KeyLifetime;
            if (activates < now + _timings.PropagationDelay)
            {
                activates = now + _timings.PropagationDelay;
            }

            var next = NewEntry(now, activates);
            document.Keys.Add(next);
            events.Add(("created", next));
            changed = true;
        }

        // Every key but the newest stops signing when its successor activates, and is deleted once nothing it signed can live.
        var ordered = document.Keys.OrderBy(k => k.ActivatesAt).ToList();
        for (var i = 0; i < ordered.Count - 1; i++)
        {
            if (ordered[i].DeletesAt is null)
            {
                ordered[i].DeletesAt = ordered[i + 1].ActivatesAt + _timings.RetainAfterActive;
                changed = true;
            }
        }

        return changed;
    }

    private ManagedKeyEntry NewEntry(DateTimeOffset now, DateTimeOffset activates)
    {
        var id = "m" + now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return new ManagedKeyEntry
        {
            Id = id,
            Algorithm = Algorithm,
            Material = ManagedKeyMaterial.Seal(ManagedKeyMaterial.Create(Algorithm), _keyEncryptionKey, AssociatedData(id)),
            CreatedAt = now,
            ActivatesAt = activates,
        };
    }

    private ManagedKeyDocument Read(SessionRecord? record)
    {
        if (record is null || !record.Data.TryGetValue(DataKey, out var bytes))
        {
            return new ManagedKeyDocument();
        }

        try
        {
            var document = JsonSerializer.Deserialize(bytes.Span, ManagedKeyJsonContext.Default.ManagedKeyDocument);
            if (document is not null && document.FormatVersion == 1 && document.Keys.All(k => AuthKitKey.IsValidKeyId(k.Id) && ManagedKeyMaterial.IsSupported(k.Algorithm)))
            {
                return document;
            }
        }
        catch (JsonException)
        {
        }

        throw new InvalidOperationException($"AuthKit: the managed key ring '{Name}' in the session store is unreadable (written by a newer AuthKit, or damaged). Upgrade this instance, or remove the record with 'authkit keys' tooling and restart every instance.");
    }

    private async ValueTask<bool> WriteAsync(SessionRecord? current, ManagedKeyDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Kept well past the last deletion, so an idle fleet never loses its ring to the record's own expiry.
        var newest = document.Keys.Max(k => k.ActivatesAt);
        var expires = newest + (_timings.KeyLifetime + _timings.PropagationDelay + _timings.RetainAfterActive) * 2;
        var record = new SessionRecord
        {
            Key = StoreKey,
            Kind = SessionRecordKind.KeyRing,
            Data = new Dictionary<string, ReadOnlyMemory<byte>>(1, StringComparer.Ordinal)
            {
                [DataKey] = JsonSerializer.SerializeToUtf8Bytes(document, ManagedKeyJsonContext.Default.ManagedKeyDocument),
            },
            CreatedAt = current?.CreatedAt ?? now,
            LastSeenAt = now,
            IdleExpiresAt = expires,
            AbsoluteExpiresAt = expires,
            Version = current?.Version ?? 0,
        };
        return current is null
            ? await _store.CreateAsync(record, cancellationToken).ConfigureAwait(false)
            : await _store.UpdateAsync(record, current.Version, cancellationToken).ConfigureAwait(false);
    }

    private void Publish(ManagedKeyDocument document, DateTimeOffset now)
    {
        var previous = Volatile.Read(ref _snapshot);
        var ordered = document.Keys.OrderByDescending(k => k.ActivatesAt).ToList();
        if (previous is null || !Same(previous, ordered))
        {
            var keys = new List<ManagedKey>(ordered.Count);
            foreach (var entry in ordered)
            {
                var reused = previous?.Keys.FirstOrDefault(k => k.Id == entry.Id);
                if (reused is not null)
                {
                    keys.Add(new ManagedKey(entry.Id, entry.Algorithm, reused.Material, entry.CreatedAt, entry.ActivatesAt, entry.DeletesAt));
                    continue;
                }

                var material = ManagedKeyMaterial.Open(entry.Material, _keyEncryptionKey, AssociatedData(entry.Id), out var error);
                if (material is null)
                {
                    if (_loadError != error)
                    {
                        _loadError = error;
                        _logger.ManagedKeyRingUnreadable(Name, error!);
                        _metrics?.KeyEvent(Name, "refused");
                    }

                    throw new InvalidOperationException($"AuthKit: the managed key ring '{Name}' cannot be used: {error}.");
                }

                keys.Add(new ManagedKey(entry.Id, entry.Algorithm, material, entry.CreatedAt, entry.ActivatesAt, entry.DeletesAt));
            }

            _loadError = null;
            Volatile.Write(ref _snapshot, new ManagedKeySnapshot((previous?.Version ?? 0) + 1, keys));
        }

        var active = Volatile.Read(ref _snapshot)!.Active(now);
        if (_loggedActive != active.Id)
        {
            if (_loggedActive is { } retired)
            {
                // The key that signed until now only verifies from here on, until its deletion.
                _logger.ManagedKeyRetired(Name, retired);
                _metrics?.KeyEvent(Name, "retired");
            }

            _loggedActive = active.Id;
            _logger.ManagedKeyActive(Name, active.Id, active.ActivatesAt);
            _metrics?.KeyEvent(Name, "activated");
        }
    }

    private static bool Same(ManagedKeySnapshot snapshot, List<ManagedKeyEntry> entries)
    {
        if (snapshot.Keys.Count != entries.Count)
        {
            return false;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var a = snapshot.Keys[i];
            var b = entries[i];
            if (a.Id != b.Id || a.ActivatesAt != b.ActivatesAt || a.DeletesAt != b.DeletesAt)
            {
                return false;
            }
        }

        return true;
    }

    private void Report(string name, ManagedKeyEntry key)
    {
        switch (name)
        {
            case "created":
                _logger.ManagedKeyCreated(Name, key.Id, key.Algorithm, key.ActivatesAt);
                break;
            case "deleted":
                _logger.ManagedKeyDeleted(Name, key.Id);
                break;
        }

        _metrics?.KeyEvent(Name, name);
    }

    private string AssociatedData(string id) => "AuthKit.ManagedKey/v1\n" + Name + "\n" + id;

    private SessionStoreException NotLoaded() =>
        new($"AuthKit: the managed key ring '{Name}' has not been read from the session store yet{(_loadError is null ? " (the store has not answered)" : ": " + _loadError)}.");

    private static SessionKey KeyFor(string applicationName, string name)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0xFF]);
        hash.AppendData("AuthKit.KeyRing/v1\0"u8);
        hash.AppendData(Encoding.UTF8.GetBytes(applicationName));
        hash.AppendData([0]);
        hash.AppendData(Encoding.UTF8.GetBytes(name));
        return SessionKey.FromBytes(hash.GetHashAndReset());
    }
}
