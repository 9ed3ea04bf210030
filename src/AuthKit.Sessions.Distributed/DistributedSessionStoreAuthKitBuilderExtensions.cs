using AuthKit;
using AuthKit.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> session store.</summary>
public static class DistributedSessionStoreAuthKitBuilderExtensions
{
    /// <summary>The configuration section <see cref="DistributedSessionStoreOptions"/> bind from.</summary>
    internal const string ConfigurationSection = AuthKitDefaults.ConfigurationSection + ":DistributedStore";

    /// <summary>
    /// Uses <see cref="DistributedSessionStore"/> as the <see cref="ISessionStore"/>, on the
    /// <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> the app registers (for example with
    /// <c>AddStackExchangeRedisCache</c>, <c>AddDistributedSqlServerCache</c>). Options bind from <c>AuthKit:DistributedStore</c>.
    /// </summary>
    /// <remarks>
    /// An <c>IDistributedCache</c> has no compare-and-set: concurrent updates of one session are last-writer-wins and the
    /// per-user index is best effort (see <see cref="DistributedSessionStore"/>). Where the cache is Redis, the native
    /// Redis store (AuthKit.Sessions.Redis) keeps both guarantees.
    /// </remarks>
    public static AuthKitBuilder UseDistributedSessionStore(this AuthKitBuilder builder, Action<DistributedSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddOptions(ConfigurationSection, configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<DistributedSessionStoreOptions>, DistributedSessionStorePostConfigureOptions>());
        services.TryAddSingleton<DistributedSessionStore>();
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<DistributedSessionStore>()));
        return builder;
    }
}
