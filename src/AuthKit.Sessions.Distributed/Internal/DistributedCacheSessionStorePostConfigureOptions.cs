using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Distributed.Internal;

/// <summary>Fills in the default key prefix from the application's name.</summary>
internal sealed class DistributedCacheSessionStorePostConfigureOptions(IOptions<AuthKitOptions> authKit) : IPostConfigureOptions<DistributedCacheSessionStoreOptions>
{
    public void PostConfigure(string? name, DistributedCacheSessionStoreOptions options)
        => options.KeyPrefix ??= DistributedCacheSessionStoreOptionsValidator.DefaultKeyPrefix(authKit.Value.ApplicationName);
}
