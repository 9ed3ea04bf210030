namespace AuthKit.Sessions.File;

/// <summary>Names used by the file session store.</summary>
public static class FileSessionStoreDefaults
{
    /// <summary>The configuration section <see cref="FileSessionStoreOptions"/> bind from: <c>AuthKit:FileStore</c>.</summary>
    public const string ConfigurationSection = AuthKitDefaults.ConfigurationSection + ":FileStore";
}
