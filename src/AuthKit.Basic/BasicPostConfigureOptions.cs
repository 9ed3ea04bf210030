using Microsoft.Extensions.Options;

namespace AuthKit.Basic;

/// <summary>Gives each Basic scheme its cache, throttle and derived cache key.</summary>
internal sealed class BasicPostConfigureOptions(BasicCredentialCache cache, IAuthKitKeyRing keyRing, AuthKitMetrics metrics)
    : IPostConfigureOptions<BasicAuthenticationOptions>
{
    public void PostConfigure(string? name, BasicAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        options.Runtime ??= new BasicSchemeRuntime(
            cache.StoreFor(name),
            cache.ThrottleFor(name),
            new CredentialMac(keyRing.ForPurpose(BasicAuthenticationDefaults.CredentialCachePurpose)),
            metrics);
    }
}
