using AuthKit.Internal.Keys;
using AuthKit;
using AuthKit.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AuthKit.</summary>
public static class AuthKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers AuthKit's core: options (bound from the <c>AuthKit</c> section), the key ring, <see cref="TimeProvider"/>,
    /// the memory store as the default <see cref="ISessionStore"/>, PBKDF2 <see cref="IAuthKitPasswordHasher"/>, the
    /// <see cref="ICredentialThrottle"/>, metrics, and the
    /// <c>AuthKit</c> policy scheme as the default scheme unless the app set its own. Calling it twice is harmless.
    /// </summary>
    /// <remarks>
    /// Options bind from the <c>AuthKit</c> configuration section, then <paramref name="configure"/> runs (values set in code win),
    /// and they are validated when the host starts.
    /// </remarks>
    public static AuthKitBuilder AddAuthKit(this IServiceCollection services, Action<AuthKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new AuthKitBuilder(services);
        builder.AddAuthKitOptions(AuthKitDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure);
        if (services.Any(d => d.ServiceType == typeof(AuthKitMarkerService)))
        {
            return builder;
        }

        services.AddSingleton<AuthKitMarkerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthKitOptions>, AuthKitOptionsValidator>());
        services.AddSingleton<IPostConfigureOptions<AuthKitOptions>>(sp => new AuthKitOptionsPostConfigure(sp.GetService<IHostEnvironment>()));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuthKitTransportSecurity>();
        services.AddMetrics();
        services.TryAddSingleton<AuthKitMetrics>();
        builder.AddAuthKitOptions<ManagedKeyRingOptions>(AuthKitDefaults.ManagedKeysConfigurationSection, static (section, o) => section.Bind(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManagedKeyRingOptions>, ManagedKeyRingOptionsValidator>());
        services.TryAddSingleton<ManagedKeyRegistry>();
        services.AddSingleton(new ManagedKeyRingRegistration(ManagedKeyRingNames.Cookies, static _ => "HS256"));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ManagedKeyRingService>());
        services.TryAddSingleton<IAuthKitKeyRing>(CreateKeyRing);

        builder.AddAuthKitOptions<Pbkdf2PasswordHasherOptions>(AuthKitDefaults.PasswordHasherConfigurationSection, static (section, o) => section.Bind(o));
        services.TryAddSingleton<IAuthKitPasswordHasher>(sp => new Pbkdf2PasswordHasher(sp.GetRequiredService<IOptions<Pbkdf2PasswordHasherOptions>>()));

        builder.AddCredentialThrottle();

        builder.AddAuthKitOptions<MemorySessionStoreOptions>(AuthKitDefaults.MemoryStoreConfigurationSection, static (section, o) => section.Bind(o));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemorySessionStoreOptions>, MemorySessionStoreOptionsValidator>());
        services.TryAddSingleton<MemorySessionStore>();
        services.TryAddSingleton<ISessionStore>(sp => sp.GetRequiredService<MemorySessionStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SessionStoreStartupCheck>());

        services.AddOptions<AuthKitForwardingOptions>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AuthKitNoneHandler>(AuthKitDefaults.NoneScheme, displayName: null, _ => { });

        // The AuthKit scheme forwards like the framework's policy scheme (same PolicySchemeOptions), by a lighter handler.
        services.Configure<AuthenticationOptions>(o => o.AddScheme(AuthKitDefaults.AuthenticationScheme, scheme =>
        {
            scheme.HandlerType = typeof(AuthKitSchemeHandler);
            scheme.DisplayName = "AuthKit";
        }));
        services.TryAddTransient<AuthKitSchemeHandler>();
        services.AddOptions<PolicySchemeOptions>(AuthKitDefaults.AuthenticationScheme).Validate(o =>
        {
            o.Validate(AuthKitDefaults.AuthenticationScheme);
            return true;
        });
        services.AddOptions<PolicySchemeOptions>(AuthKitDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthKitForwardingOptions>, IOptions<AuthorizationOptions>>((o, forwarding, authorization) =>
            {
                var f = forwarding.Value;
                o.ForwardDefaultSelector = context => AuthKitSchemeSelector.Select(context, f, authorization.Value);

                // Sign-in and sign-out always go to the session scheme, even on a request that carries a bearer token; without
                // one, to the none scheme, whose message names the package and the call to add.
                o.ForwardSignIn = f.DefaultScheme ?? AuthKitDefaults.NoneScheme;
                o.ForwardSignOut = f.DefaultScheme ?? AuthKitDefaults.NoneScheme;
            });
        services.PostConfigure<AuthenticationOptions>(o => o.DefaultScheme ??= AuthKitDefaults.AuthenticationScheme);
        services.AddAuthorization();
        return builder;
    }


    private sealed class AuthKitMarkerService;

    private static IAuthKitKeyRing CreateKeyRing(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuthKitOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AuthKit.KeyRing");
        if (services.GetRequiredService<ManagedKeyRegistry>().Find(ManagedKeyRingNames.Cookies) is { } managed)
        {
            // Keys still configured verify (and never sign), so a fleet moves to managed keys without signing anyone out.
            var configured = KeyRingFactory.ConfiguredKeys(options);
            return new ManagedHmacKeyRing(managed, configured, time);
        }

        return new ConfiguredKeyRing(
            services.GetRequiredService<IOptionsFactory<AuthKitOptions>>(), options, services.GetService<IConfiguration>(), time, logger, services.GetService<AuthKitMetrics>());
    }
}
