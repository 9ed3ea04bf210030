namespace AuthKit.Basic;

/// <summary>Names used by AuthKit's HTTP Basic scheme.</summary>
public static class BasicAuthenticationDefaults
{
    /// <summary>The default scheme name: <c>Basic</c>.</summary>
    public const string AuthenticationScheme = "Basic";

    /// <summary>The configuration section the default scheme's options bind from: <c>AuthKit:Basic</c>.</summary>
    public const string ConfigurationSection = "AuthKit:Basic";

    /// <summary>The key-ring purpose the verified-credential cache derives its HMAC key for.</summary>
    public const string CredentialCachePurpose = "AuthKit.Basic.CredentialCache";
}
