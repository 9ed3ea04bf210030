namespace AuthKit.Basic;

/// <summary>Names used by AuthKit's HTTP Basic scheme.</summary>
public static class BasicAuthenticationDefaults
{
    /// <summary>The default scheme name: <c>Basic</c>.</summary>
    public const string AuthenticationScheme = "Basic";

    /// <summary>The default display name of the scheme: <c>Basic</c>.</summary>
    public const string DisplayName = "Basic";

    /// <summary>The configuration section the default scheme's options bind from: <c>AuthKit:Basic</c> (another scheme <c>X</c>: <c>AuthKit:Basic:X</c>).</summary>
    public const string ConfigurationSection = "AuthKit:Basic";
}
