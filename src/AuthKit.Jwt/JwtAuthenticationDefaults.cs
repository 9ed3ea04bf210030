namespace AuthKit.Jwt;

/// <summary>Names used by AuthKit's JWT bearer scheme.</summary>
public static class JwtAuthenticationDefaults
{
    /// <summary>
    /// The default scheme name, <c>AuthKit.Jwt</c>. It differs from the framework's JwtBearer (<c>Bearer</c>), so both can be registered in one app.
    /// </summary>
    public const string AuthenticationScheme = "AuthKit.Jwt";

    /// <summary>The configuration section the options of the <see cref="AuthenticationScheme"/> scheme bind from, <c>AuthKit:Jwt</c>.</summary>
    public const string ConfigurationSection = "AuthKit:Jwt";

    /// <summary>
    /// The configuration section under which the options of every other JWT scheme bind, one sub-section per scheme name:
    /// <c>AuthKit:Jwt:Schemes:{scheme}</c>.
    /// </summary>
    public const string SchemesConfigurationSection = "AuthKit:Jwt:Schemes";

    /// <summary>The access token type (<c>typ</c> header) of RFC 9068, <c>at+jwt</c>.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>The configuration section the options of scheme <paramref name="authenticationScheme"/> bind from.</summary>
    internal static string ConfigurationSectionFor(string? authenticationScheme) =>
        authenticationScheme is null or "" or AuthenticationScheme ? ConfigurationSection : SchemesConfigurationSection + ":" + authenticationScheme;
}
