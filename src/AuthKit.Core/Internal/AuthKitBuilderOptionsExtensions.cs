using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Options registration shared by the AuthKit packages.</summary>
internal static class AuthKitBuilderOptionsExtensions
{
    /// <summary>
    /// Registers options of type <typeparamref name="TOptions"/> bound from <paramref name="configurationSection"/> by
    /// <paramref name="bind"/> (once, whatever the number of calls), then configured by <paramref name="configure"/>, and
    /// validated at start-up.
    /// </summary>
    /// <remarks>
    /// The AuthKit packages use it so every option binds from configuration and a bad value stops the host at start.
    /// <paramref name="bind"/> is written at each package's call site with the concrete options type
    /// (<c>static (section, o) => section.Bind(o)</c>) so that the configuration binder source generator intercepts it:
    /// binding stays free of reflection under trimming and native AOT, which generic code here could not be.
    /// </remarks>
    public static OptionsBuilder<TOptions> AddAuthKitOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this AuthKitBuilder builder, string configurationSection, Action<IConfiguration, TOptions> bind, Action<TOptions>? configure = null, string? name = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configurationSection);
        ArgumentNullException.ThrowIfNull(bind);
        name ??= Microsoft.Extensions.Options.Options.DefaultName;
        var services = builder.Services;
        var options = services.AddOptions<TOptions>(name);
        var bound = services.Any(d => d.ServiceType == typeof(ConfigurationOptionsMarker<TOptions>)
            && d.ImplementationInstance is ConfigurationOptionsMarker<TOptions> m
            && string.Equals(m.Name, name, StringComparison.Ordinal));
        if (!bound)
        {
            services.AddSingleton(new ConfigurationOptionsMarker<TOptions>(name));
            var optionsName = name;
            services.AddSingleton<IConfigureOptions<TOptions>>(sp => new ConfigurationOptionsSetup<TOptions>(sp.GetService<IConfiguration>(), configurationSection, optionsName, bind));
            options.ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options;
    }
}
