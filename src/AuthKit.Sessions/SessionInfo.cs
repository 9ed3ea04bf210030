namespace AuthKit.Sessions;

/// <summary>One of a user's sessions, as shown on a "your devices" page. Holds nothing secret.</summary>
/// <remarks>A class with <see langword="required"/> <see langword="init"/> properties, so that it can gain properties without breaking callers.</remarks>
public sealed class SessionInfo
{
    /// <summary>
    /// The session's handle: its <see cref="SessionKey"/> in hexadecimal (the SHA-256 digest of the session ID), the same value as
    /// <c>HttpContext.Session.Id</c>. Safe to put in a page, a form or a log; it cannot be turned back into the cookie. Pass it to
    /// <see cref="ISessionManager.RevokeSessionAsync(Microsoft.AspNetCore.Http.HttpContext, string)"/>.
    /// </summary>
    public required string SessionHandle { get; init; }

    /// <summary>When the session was created: when the user signed in (a sign-in always creates a new session).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session was last seen (updated at most once per sliding-refresh interval).</summary>
    public required DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When the session ends if unused.</summary>
    public required DateTimeOffset IdleExpiresAt { get; init; }

    /// <summary>When the session ends whatever happens.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>Whether this is the session of the request that asked.</summary>
    public bool IsCurrent { get; init; }

    /// <summary>The scheme that signed the user in, when recorded.</summary>
    public string? AuthenticationScheme { get; init; }

    /// <summary>The session's metadata (<see cref="SessionRecord.Metadata"/>): the device it was signed in from, and what the app added in <c>OnSigningIn</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = AuthKit.Internal.FrozenMap<string>.Empty;

    /// <summary>The browser the session was signed in from, with its major version (for example <c>Firefox 128</c>), when recognised.</summary>
    public string? Browser => Metadata.TryGetValue("browser", out var value) ? value : null;

    /// <summary>The operating system the session was signed in from (for example <c>Windows</c>, <c>iOS</c>), when recognised.</summary>
    public string? OperatingSystem => Metadata.TryGetValue("os", out var value) ? value : null;

    /// <summary>A label for the device: <c>Firefox 128 on Windows</c>, <c>Safari</c>, <c>iOS</c>, or <see langword="null"/> when nothing was recognised.</summary>
    public string? Device => (Browser, OperatingSystem) switch
    {
        ({ } browser, { } os) => browser + " on " + os,
        ({ } browser, null) => browser,
        (null, { } os) => os,
        _ => null,
    };
}
