using System.Collections.ObjectModel;
using System.Security.Claims;

namespace AuthKit;

/// <summary>
/// The server-side record behind a session ID: who the user is, when the session started and ends, and a small data bag.
/// </summary>
/// <remarks>
/// Records are immutable values: change one with a <see langword="with"/> expression and
/// <see cref="ISessionStore.UpdateAsync"/>. Stores copy <see cref="Data"/> on write; do not mutate the byte arrays
/// of a record you have handed to a store.
/// </remarks>
public sealed record SessionRecord
{
    private static readonly IReadOnlyDictionary<string, byte[]> s_empty = ReadOnlyDictionary<string, byte[]>.Empty;

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

    /// <summary>The data bag (for example <c>HttpContext.Session</c> values).</summary>
    public IReadOnlyDictionary<string, byte[]> Data { get; init; } = s_empty;

    /// <summary>When the record was created.</summary>
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
}
