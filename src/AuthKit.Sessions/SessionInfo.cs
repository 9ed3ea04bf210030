namespace AuthKit.Sessions;

/// <summary>One of a user's sessions, as shown on a "your devices" page. Holds nothing secret.</summary>
public sealed class SessionInfo
{
    /// <summary>Creates the description of a session.</summary>
    public SessionInfo(string handle, DateTimeOffset createdAt, DateTimeOffset lastSeenAt, DateTimeOffset idleExpiresAt, DateTimeOffset absoluteExpiresAt, bool isCurrent, string? authenticationScheme)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        Handle = handle;
        CreatedAt = createdAt;
        LastSeenAt = lastSeenAt;
        IdleExpiresAt = idleExpiresAt;
        AbsoluteExpiresAt = absoluteExpiresAt;
        IsCurrent = isCurrent;
        AuthenticationScheme = authenticationScheme;
    }

    /// <summary>
    /// The session's handle: its <see cref="SessionKey"/> in hexadecimal (the SHA-256 digest of the session ID). Safe to put in a
    /// page or a form; it cannot be turned back into the cookie. Pass it to <see cref="ISessionManager.RevokeAsync(Microsoft.AspNetCore.Http.HttpContext, string, CancellationToken)"/>.
    /// </summary>
    public string Handle { get; }

    /// <summary>When the session was created (sign-in).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the session was last seen (updated at most once per sliding-refresh interval).</summary>
    public DateTimeOffset LastSeenAt { get; }

    /// <summary>When the session ends if unused.</summary>
    public DateTimeOffset IdleExpiresAt { get; }

    /// <summary>When the session ends whatever happens.</summary>
    public DateTimeOffset AbsoluteExpiresAt { get; }

    /// <summary>Whether this is the session of the request that asked.</summary>
    public bool IsCurrent { get; }

    /// <summary>The scheme that signed the user in, when recorded.</summary>
    public string? AuthenticationScheme { get; }
}
