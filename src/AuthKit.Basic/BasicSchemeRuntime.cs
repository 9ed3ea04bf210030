namespace AuthKit.Basic;

/// <summary>What one Basic scheme shares across requests: its credential cache, its throttle and the cache's HMAC.</summary>
internal sealed class BasicSchemeRuntime(BasicCredentialStore cache, BasicFailureThrottle throttle, CredentialMac cacheMac, AuthKitMetrics metrics)
{
    public BasicCredentialStore Cache { get; } = cache;

    public BasicFailureThrottle Throttle { get; } = throttle;

    public CredentialMac CacheMac { get; } = cacheMac;

    public AuthKitMetrics Metrics { get; } = metrics;
}
