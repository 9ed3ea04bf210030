namespace AuthKit;

/// <summary>Names AuthKit registers.</summary>
public static class AuthKitDefaults
{
    /// <summary>The combined policy scheme that forwards to Bearer, Basic or the session scheme per request.</summary>
    public const string AuthenticationScheme = "AuthKit";

    /// <summary>The internal scheme the policy forwards to when no AuthKit scheme applies: no result, 401 on challenge.</summary>
    internal const string NoneScheme = "AuthKit.None";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> AuthKit reports through.</summary>
    public const string MeterName = "AuthKit";

    /// <summary>The configuration section options bind from.</summary>
    public const string ConfigurationSection = "AuthKit";

    /// <summary>The configuration section <see cref="CredentialThrottleOptions"/> bind from.</summary>
    public const string CredentialThrottleConfigurationSection = "AuthKit:CredentialThrottle";

    /// <summary>The configuration section <see cref="Pbkdf2PasswordHasherOptions"/> bind from.</summary>
    public const string PasswordHasherConfigurationSection = "AuthKit:PasswordHasher";

    /// <summary>The configuration section <see cref="MemorySessionStoreOptions"/> bind from.</summary>
    public const string MemoryStoreConfigurationSection = "AuthKit:MemoryStore";

    /// <summary>The configuration section of <see cref="ManagedKeyRingOptions"/>.</summary>
    public const string ManagedKeysConfigurationSection = "AuthKit:ManagedKeys";
}
