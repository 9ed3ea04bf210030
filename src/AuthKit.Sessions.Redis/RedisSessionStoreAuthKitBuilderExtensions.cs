using AuthKit;
using AuthKit.Internal;
using AuthKit.Sessions.Redis;
using AuthKit.Sessions.Redis.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the native Redis session store.</summary>
public static class RedisSessionStoreAuthKitBuilderExtensions
{
    /// <summary>
    /// Uses <see cref="RedisSessionStore"/> as the <see cref="ISessionStore"/>, with options bound from <c>AuthKit:RedisStore</c>
    /// and then <paramref name="configure"/>, validated at start-up. Also adds a health check named <c>authkit-redis</c>
    /// when the application uses health checks (<c>AddHealthChecks()</c>). Calling it twice is harmless.
    /// </summary>
    /// <remarks>
    /// The connection comes from <see cref="RedisSessionStoreOptions.Configuration"/>, or, when that is not set, from the
    /// <see cref="IConnectionMultiplexer"/> registered in the services.
    /// </remarks>
    public static AuthKitBuilder UseRedisSessionStore(this AuthKitBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthKitOptions(RedisSessionStoreDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure);
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<RedisSessionStoreOptions>, RedisSessionStorePostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSessionStoreOptions>, RedisSessionStoreOptionsValidator>());
        services.TryAddSingleton(sp => new RedisSessionStore(
            sp.GetRequiredService<IOptions<RedisSessionStoreOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IConnectionMultiplexer>(),
            sp.GetService<ILogger<RedisSessionStore>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance,
            sp.GetService<AuthKitMetrics>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<RedisSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, RedisSessionStoreHealthCheckSetup>());
        return builder;
    }
}
