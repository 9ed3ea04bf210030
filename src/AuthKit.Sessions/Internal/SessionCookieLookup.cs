namespace AuthKit.Sessions.Internal;

/// <summary>How often a request carries the session cookie (by exact, case-sensitive name).</summary>
internal enum SessionCookieLookup
{
    /// <summary>Not at all.</summary>
    None = 0,

    /// <summary>Exactly once.</summary>
    Once = 1,

    /// <summary>More than once, in one <c>Cookie</c> header or several: treated as none (cookie tossing, login CSRF).</summary>
    Duplicated = 2,
}
