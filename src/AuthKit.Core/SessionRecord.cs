using System.Security.Claims;
using AuthKit.Internal;

namespace AuthKit;

/// <summary>
/// The server-side record behind a session ID: who the user is, when the session started and ends, a small data bag, and
/// descriptive metadata (the device a session was signed in from).
/// </summary>
/// <remarks>
/// Records are immutable values: change one with a <see langword="with"/> expression and <see cref="ISessionStore.UpdateAsync"/>.
/// <see cref="Data"/> and <see cref="Metadata"/> are copied when set and exposed as read-only maps that cannot be cast back to
/// mutable dictionaries, so a record handed to a store, or read from one, cannot be changed behind its back.
/// </remarks>
public sealed record SessionRecord
{
    private readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> _data = FrozenMap<ReadOnlyMemory<byte>>.Empty;
    private readonly IReadOnlyDictionary<string, string> _metadata = FrozenMap<string>.Empty;

    /// <summary>The key the record is filed under (the digest of the client's ID).</summary>
    public required SessionKey Key { get; init; }

    /// <summary>What the record stands for.</summary>
    public SessionRecordKind Kind { get; init; } = SessionRecordKind.Session;

    /// <summary>The signed-in user's ID, or <see langword="null"/> for an anonymous session.</summary>
    public string? UserId { get; init; }

    /// <summary>The authenticated principal, or <see langword="null"/> for an anonymous session.</summary>
    public ClaimsPrincipal? Principal { get; init; }

    /// <summary>The authentication scheme that signed the principal in, if any.</summary>
    public string? AuthenticationScheme { get; init; }

    /// <summary>The data bag (for example <c>HttpContext.Session</c> values), keys compared ordinally.</summary>
    /// <remarks>Setting it copies the keys and the bytes (<see langword="null"/> reads as empty); reading it never copies.</remarks>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Data
    {
        get => _data;
        init => _data = Freeze(value, static v => v.ToArray());
    }

    /// <summary>
    /// Descriptive, non-secret facts about the session, keys compared ordinally: the session scheme records the device it was
    /// signed in from (<c>browser</c>, <c>os</c>, parsed from the <c>User-Agent</c>) for a "your devices" page.
    /// </summary>
    /// <remarks>Setting it copies the entries (<see langword="null"/> reads as empty).</remarks>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get => _metadata;
        init => _metadata = Freeze(value, static v => v);
    }

    /// <summary>When the record was created: for a session, when the user signed in (a sign-in always creates a new record).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the client was last seen (written at most once per sliding-refresh interval).</summary>
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When the record expires if the client stays idle (sliding).</summary>
    public DateTimeOffset IdleExpiresAt { get; init; }

    /// <summary>When the record expires whatever the client does (absolute).</summary>
    public DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>The version the store holds; set by the store (1 on create, +1 on each update).</summary>
    public long Version { get; init; }

    /// <summary>The earlier of <see cref="IdleExpiresAt"/> and <see cref="AbsoluteExpiresAt"/>.</summary>
    public DateTimeOffset ExpiresAt => IdleExpiresAt < AbsoluteExpiresAt ? IdleExpiresAt : AbsoluteExpiresAt;

    /// <summary>Whether the record has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    private static IReadOnlyDictionary<string, TValue> Freeze<TValue>(IReadOnlyDictionary<string, TValue>? value, Func<TValue, TValue> copy)
    {
        if (value is FrozenMap<TValue> frozen)
        {
            return frozen;
        }

        if (value is null || value.Count == 0)
        {
            return FrozenMap<TValue>.Empty;
        }

        var items = new Dictionary<string, TValue>(value.Count, StringComparer.Ordinal);
        foreach (var (key, item) in value)
        {
            items[key] = copy(item);
        }

        return FrozenMap<TValue>.Own(items);
    }
}
