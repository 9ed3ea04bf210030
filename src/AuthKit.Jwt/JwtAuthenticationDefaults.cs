namespace AuthKit.Jwt;

/// <summary>Names used by the JWT bearer scheme.</summary>
public static class JwtAuthenticationDefaults
{
    /// <summary>The scheme name, <c>Bearer</c>.</summary>
    public const string AuthenticationScheme = "Bearer";

    /// <summary>The configuration section <see cref="JwtAuthenticationOptions"/> bind from, <c>AuthKit:Jwt</c>.</summary>
    public const string ConfigurationSection = "AuthKit:Jwt";

    /// <summary>The access token type (<c>typ</c> header) of RFC 9068, <c>at+jwt</c>.</summary>
    public const string AccessTokenType = "at+jwt";
}
