using AuthKit;
using AuthKit.Internal;
using AuthKit.Sessions.File;
using AuthKit.Sessions.File.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the file session store.</summary>
public static class FileSessionStoreAuthKitBuilderExtensions
{
    /// <summary>
    /// Uses <see cref="FileSessionStore"/> as the <see cref="ISessionStore"/>: one file per record in a directory that several
    /// processes can share, with a background sweep of expired records. Options bind from <c>AuthKit:FileStore</c>; a directory
    /// that cannot be created or written stops the host at start.
    /// </summary>
    public static AuthKitBuilder UseFileSessionStore(this AuthKitBuilder builder, Action<FileSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddAuthKitOptions(FileSessionStoreDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<FileSessionStoreOptions>, FileSessionStorePostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileSessionStoreOptions>, FileSessionStoreOptionsValidator>());
        services.TryAddSingleton<FileSessionStore>();
        services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<FileSessionStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FileSessionStoreSweeper>());
        return builder;
    }
}
