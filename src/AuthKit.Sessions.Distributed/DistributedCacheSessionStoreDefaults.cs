namespace AuthKit.Sessions.Distributed;

/// <summary>Names used by the <c>IDistributedCache</c> session store.</summary>
public static class DistributedCacheSessionStoreDefaults
{
    /// <summary>The configuration section <see cref="DistributedCacheSessionStoreOptions"/> bind from: <c>AuthKit:DistributedStore</c>.</summary>
    public const string ConfigurationSection = AuthKitDefaults.ConfigurationSection + ":DistributedStore";
}
