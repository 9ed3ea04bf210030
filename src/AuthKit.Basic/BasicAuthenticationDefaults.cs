namespace AuthKit.Basic;

/// <summary>Names used by AuthKit's HTTP Basic scheme.</summary>
public static class BasicAuthenticationDefaults
{
    /// <summary>The default scheme name: <c>Basic</c>.</summary>
    public const string AuthenticationScheme = "Basic";

    /// <summary>The default display name of the scheme: <c>Basic</c>.</summary>
    public const string DisplayName = "Basic";

    /// <summary>The configuration section the default scheme's options bind from: <c>AuthKit:Basic</c>.</summary>
    public const string ConfigurationSection = "AuthKit:Basic";

    /// <summary>
    /// The configuration section under which the options of every other Basic scheme bind, one sub-section per scheme name:
    /// <c>AuthKit:Basic:Schemes:{scheme}</c> (the same layout as AuthKit.Jwt's <c>AuthKit:Jwt:Schemes</c>).
    /// </summary>
    public const string SchemesConfigurationSection = "AuthKit:Basic:Schemes";

    /// <summary>The configuration section the options of scheme <paramref name="authenticationScheme"/> bind from.</summary>
    internal static string ConfigurationSectionFor(string? authenticationScheme) =>
        authenticationScheme is null or "" or AuthenticationScheme ? ConfigurationSection : SchemesConfigurationSection + ":" + authenticationScheme;
}
