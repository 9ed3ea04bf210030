namespace AuthKit.Cookies;

/// <summary>Names used by AuthKit's cookie policy.</summary>
public static class AuthKitCookieDefaults
{
    /// <summary>The configuration section <see cref="AuthKitCookieOptions"/> bind from.</summary>
    public const string ConfigurationSection = "AuthKit:Cookies";
}
