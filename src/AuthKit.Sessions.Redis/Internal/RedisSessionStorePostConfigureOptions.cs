using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Redis.Internal;

/// <summary>Fills in the default key prefix from the application's name.</summary>
internal sealed class RedisSessionStorePostConfigureOptions(IOptions<AuthKitOptions> authKit) : IPostConfigureOptions<RedisSessionStoreOptions>
{
    public void PostConfigure(string? name, RedisSessionStoreOptions options)
        => options.KeyPrefix ??= RedisSessionStoreOptionsValidator.DefaultKeyPrefix(authKit.Value.ApplicationName);
}
