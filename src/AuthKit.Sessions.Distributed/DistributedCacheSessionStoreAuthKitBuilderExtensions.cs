using AuthKit;
using AuthKit.Internal;
using AuthKit.Sessions.Distributed;
using AuthKit.Sessions.Distributed.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> session store.</summary>
public static class DistributedCacheSessionStoreAuthKitBuilderExtensions
{
    /// <summary>
    /// Uses <see cref="DistributedCacheSessionStore"/> as the <see cref="ISessionStore"/>, on the
    /// <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> the app registers (for example with
    /// <c>AddStackExchangeRedisCache</c>, <c>AddDistributedSqlServerCache</c>). Options bind from <c>AuthKit:DistributedStore</c>.
    /// </summary>
    /// <remarks>
    /// An <c>IDistributedCache</c> has no compare-and-set: concurrent updates of one session are last-writer-wins and the
    /// per-user index is best effort (see <see cref="DistributedCacheSessionStore"/>); a removal is still final. Where the cache is Redis, the native
    /// Redis store (AuthKit.Sessions.Redis) keeps both guarantees.
    /// </remarks>
    public static AuthKitBuilder UseDistributedSessionStore(this AuthKitBuilder builder, Action<DistributedCacheSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddAuthKitOptions(DistributedCacheSessionStoreDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<DistributedCacheSessionStoreOptions>, DistributedCacheSessionStorePostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DistributedCacheSessionStoreOptions>, DistributedCacheSessionStoreOptionsValidator>());
        services.TryAddSingleton<DistributedCacheSessionStore>();
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<DistributedCacheSessionStore>()));
        return builder;
    }
}
