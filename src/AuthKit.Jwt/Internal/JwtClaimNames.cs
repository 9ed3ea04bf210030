namespace AuthKit.Jwt.Internal;

/// <summary>Registered claim and header names, as interned strings and UTF-8.</summary>
internal static class JwtClaimNames
{
    public const string Iss = "iss";
    public const string Sub = "sub";
    public const string Aud = "aud";
    public const string Exp = "exp";
    public const string Nbf = "nbf";
    public const string Iat = "iat";
    public const string Jti = "jti";
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string Name = "name";
    public const string Role = "role";
    public const string Email = "email";

    /// <summary>The claim value type of a JSON object claim (the one Microsoft.IdentityModel uses).</summary>
    public const string JsonValueType = "JSON";

    /// <summary>The claim value type of a nested JSON array claim.</summary>
    public const string JsonArrayValueType = "JSON_ARRAY";

    public static ReadOnlySpan<byte> IssUtf8 => "iss"u8;
    public static ReadOnlySpan<byte> SubUtf8 => "sub"u8;
    public static ReadOnlySpan<byte> AudUtf8 => "aud"u8;
    public static ReadOnlySpan<byte> ExpUtf8 => "exp"u8;
    public static ReadOnlySpan<byte> NbfUtf8 => "nbf"u8;
    public static ReadOnlySpan<byte> IatUtf8 => "iat"u8;
    public static ReadOnlySpan<byte> JtiUtf8 => "jti"u8;
    public static ReadOnlySpan<byte> ScopeUtf8 => "scope"u8;
    public static ReadOnlySpan<byte> ClientIdUtf8 => "client_id"u8;
    public static ReadOnlySpan<byte> NameUtf8 => "name"u8;
    public static ReadOnlySpan<byte> RoleUtf8 => "role"u8;
    public static ReadOnlySpan<byte> EmailUtf8 => "email"u8;
}
