using AuthKit;
using AuthKit.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AuthKit.</summary>
public static class AuthKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers AuthKit's core: options (bound from the <c>AuthKit</c> section), the key ring, <see cref="TimeProvider"/>,
    /// the memory store as the default <see cref="ISessionStore"/>, PBKDF2 <see cref="IAuthKitPasswordHasher"/>, metrics, and the
    /// <c>AuthKit</c> policy scheme as the default scheme unless the app set its own. Calling it twice is harmless.
    /// </summary>
    public static AuthKitBuilder AddAuthKit(this IServiceCollection services, Action<AuthKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new AuthKitBuilder(services);
        builder.AddOptions(AuthKitDefaults.ConfigurationSection, configure);
        if (services.Any(d => d.ServiceType == typeof(AuthKitMarkerService)))
        {
            return builder;
        }

        services.AddSingleton<AuthKitMarkerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthKitOptions>, AuthKitOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AuthKitMetrics>();
        services.TryAddSingleton<IAuthKitKeyRing>(sp => KeyRingFactory.Create(
            sp.GetRequiredService<IOptions<AuthKitOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("AuthKit.KeyRing")));

        builder.AddOptions<Pbkdf2PasswordHasherOptions>(AuthKitDefaults.ConfigurationSection + ":PasswordHasher");
        services.TryAddSingleton<IAuthKitPasswordHasher>(sp => new Pbkdf2PasswordHasher(sp.GetRequiredService<IOptions<Pbkdf2PasswordHasherOptions>>()));

        builder.AddOptions<MemorySessionStoreOptions>(AuthKitDefaults.ConfigurationSection + ":MemoryStore");
        services.TryAddSingleton<MemorySessionStore>();
        services.TryAddSingleton<ISessionStore>(sp => sp.GetRequiredService<MemorySessionStore>());

        services.AddOptions<AuthKitForwardingOptions>();
        services.AddAuthentication()
            .AddPolicyScheme(AuthKitDefaults.AuthenticationScheme, displayName: "AuthKit", _ => { })
            .AddScheme<AuthenticationSchemeOptions, AuthKitNoneHandler>(AuthKitDefaults.NoneScheme, displayName: null, _ => { });
        services.AddOptions<PolicySchemeOptions>(AuthKitDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthKitForwardingOptions>>((o, forwarding) =>
            {
                var f = forwarding.Value;
                o.ForwardDefaultSelector = context => AuthKitSchemeSelector.Select(context, f);
                if (f.DefaultScheme is not null)
                {
                    // Sign-in and sign-out always go to the session scheme, even on a request that carries a bearer token.
                    o.ForwardSignIn = f.DefaultScheme;
                    o.ForwardSignOut = f.DefaultScheme;
                }
            });
        services.PostConfigure<AuthenticationOptions>(o => o.DefaultScheme ??= AuthKitDefaults.AuthenticationScheme);
        services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// Registers options of type <typeparamref name="TOptions"/> bound from <paramref name="configurationSection"/> (once, whatever the number of calls),
    /// then configured by <paramref name="configure"/>, and validated at start-up.
    /// </summary>
    /// <remarks>The AuthKit packages use it so every option binds from configuration and a bad value stops the host at start.</remarks>
    public static OptionsBuilder<TOptions> AddOptions<TOptions>(this AuthKitBuilder builder, string configurationSection, Action<TOptions>? configure = null, string? name = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configurationSection);
        name ??= Options.Options.DefaultName;
        var services = builder.Services;
        var options = services.AddOptions<TOptions>(name);
        var bound = services.Any(d => d.ServiceType == typeof(ConfigurationOptionsMarker<TOptions>)
            && d.ImplementationInstance is ConfigurationOptionsMarker<TOptions> m
            && string.Equals(m.Name, name, StringComparison.Ordinal));
        if (!bound)
        {
            services.AddSingleton(new ConfigurationOptionsMarker<TOptions>(name));
            var optionsName = name;
            services.AddSingleton<IConfigureOptions<TOptions>>(sp => new ConfigurationOptionsSetup<TOptions>(sp.GetService<IConfiguration>(), configurationSection, optionsName));
            options.ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options;
    }

    private sealed class AuthKitMarkerService;
}
