namespace AuthKit.Sessions;

/// <summary>Names used by the session authentication scheme.</summary>
public static class SessionAuthenticationDefaults
{
    /// <summary>The scheme name <c>AddSessions()</c> and <c>AddAuthKitSessions()</c> use when none is given.</summary>
    public const string AuthenticationScheme = "AuthKit.Session";

    /// <summary>The session cookie's name: host-bound, <c>Secure</c>, <c>Path=/</c>, no <c>Domain</c>.</summary>
    public const string CookieName = "__Host-authkit";

    /// <summary>The configuration section <see cref="SessionAuthenticationOptions"/> bind from.</summary>
    public const string ConfigurationSection = "AuthKit:Sessions";

    /// <summary>The key-ring purpose the session cookie is signed for.</summary>
    internal const string CookiePurpose = "AuthKit.Sessions.Cookie";
}
