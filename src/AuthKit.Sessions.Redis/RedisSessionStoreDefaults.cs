namespace AuthKit.Sessions.Redis;

/// <summary>Names used by the Redis session store.</summary>
public static class RedisSessionStoreDefaults
{
    /// <summary>The configuration section <see cref="RedisSessionStoreOptions"/> bind from: <c>AuthKit:RedisStore</c>.</summary>
    public const string ConfigurationSection = AuthKitDefaults.ConfigurationSection + ":RedisStore";
}
