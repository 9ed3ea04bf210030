using AuthKit;
using AuthKit.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the in-memory session store.</summary>
public static class MemorySessionStoreAuthKitBuilderExtensions
{
    /// <summary>Uses <see cref="MemorySessionStore"/> as the <see cref="ISessionStore"/> (the default; useful to switch back after another store).</summary>
    public static AuthKitBuilder UseMemorySessionStore(this AuthKitBuilder builder, Action<MemorySessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthKitOptions(AuthKitDefaults.MemoryStoreConfigurationSection, static (section, o) => section.Bind(o), configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemorySessionStoreOptions>, MemorySessionStoreOptionsValidator>());
        builder.Services.TryAddSingleton<MemorySessionStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<MemorySessionStore>()));
        return builder;
    }
}
