using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Fills in the default key prefix from the application's name.</summary>
internal sealed class DistributedSessionStorePostConfigureOptions(IOptions<AuthKitOptions> authKit) : IPostConfigureOptions<DistributedSessionStoreOptions>
{
    public void PostConfigure(string? name, DistributedSessionStoreOptions options)
        => options.KeyPrefix ??= "authkit:" + authKit.Value.ApplicationName + ":";
}
