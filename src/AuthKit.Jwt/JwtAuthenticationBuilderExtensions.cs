using AuthKit.Internal.Keys;
using AuthKit;
using AuthKit.Internal;
using AuthKit.Jwt;
using AuthKit.Jwt.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's JWT bearer scheme to the framework's <see cref="AuthenticationBuilder"/>, beside any other scheme (JwtBearer included).</summary>
public static class JwtAuthenticationBuilderExtensions
{
    /// <summary>Adds the JWT scheme <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/> (<c>AuthKit.Jwt</c>), options bound from <c>AuthKit:Jwt</c>.</summary>
    /// <inheritdoc cref="AddAuthKitJwt(AuthenticationBuilder, string, string?, Action{JwtAuthenticationOptions}?)" path="/remarks"/>
    public static AuthenticationBuilder AddAuthKitJwt(this AuthenticationBuilder builder) =>
        builder.AddAuthKitJwt(JwtAuthenticationDefaults.AuthenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds the JWT scheme <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/> (<c>AuthKit.Jwt</c>), options bound from <c>AuthKit:Jwt</c>, then configured.</summary>
    /// <inheritdoc cref="AddAuthKitJwt(AuthenticationBuilder, string, string?, Action{JwtAuthenticationOptions}?)" path="/remarks"/>
    public static AuthenticationBuilder AddAuthKitJwt(this AuthenticationBuilder builder, Action<JwtAuthenticationOptions>? configureOptions) =>
        builder.AddAuthKitJwt(JwtAuthenticationDefaults.AuthenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds a JWT scheme named <paramref name="authenticationScheme"/> (for example a second issuer).</summary>
    /// <inheritdoc cref="AddAuthKitJwt(AuthenticationBuilder, string, string?, Action{JwtAuthenticationOptions}?)" path="/remarks"/>
    public static AuthenticationBuilder AddAuthKitJwt(this AuthenticationBuilder builder, string authenticationScheme, Action<JwtAuthenticationOptions>? configureOptions) =>
        builder.AddAuthKitJwt(authenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds a JWT scheme named <paramref name="authenticationScheme"/> with a display name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name; also the key of its <see cref="ITokenService"/>.</param>
    /// <param name="displayName">The display name, if any.</param>
    /// <param name="configureOptions">Runs after the options bound from configuration; values set here win.</param>
    /// <remarks>
    /// <para>Options bind from <c>AuthKit:Jwt</c> for the scheme <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/>, from
    /// <c>AuthKit:Jwt:Schemes:{scheme}</c> for any other; bad options stop the host at start. A configuration reload (new keys, a new issuer)
    /// takes effect without a restart; reloaded options that are not valid are logged and the previous ones stay in use. Each scheme gets its own
    /// <see cref="JwtTokenService"/>, registered as the keyed <see cref="ITokenService"/> of the scheme name, which the bearer handler and the token
    /// endpoints use: register your own keyed <see cref="ITokenService"/> under the scheme name to replace it.</para>
    /// <para>The first JWT scheme registered is the primary one: the unkeyed <see cref="ITokenService"/> is its token service (replace the unkeyed
    /// registration to replace it), the <c>AuthKit</c> policy scheme forwards <c>Authorization: Bearer</c> requests to it, and
    /// <c>MapAuthKitJwks()</c> / <c>MapAuthKitTokenEndpoints()</c> without a scheme name serve it.</para>
    /// <para>AuthKit's core (<c>AddAuthKit()</c>: the session store, the clock, the <c>AuthKit</c> policy scheme as the default scheme unless the app
    /// set one) is added if it is not yet. Calling this twice with one scheme name is harmless.</para>
    /// </remarks>
    public static AuthenticationBuilder AddAuthKitJwt(
        this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<JwtAuthenticationOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        var authKit = services.AddAuthKit();
        authKit.AddAuthKitOptions(JwtAuthenticationDefaults.ConfigurationSectionFor(authenticationScheme), static (section, o) => section.Bind(o), configureOptions, authenticationScheme);
        var schemes = JwtSchemes.Of(services);
        if (!schemes.Add(authenticationScheme))
        {
            return builder;
        }

        services.AddSingleton<IOptionsChangeTokenSource<JwtAuthenticationOptions>>(sp => new JwtConfigurationChangeTokenSource(sp.GetService<IConfiguration>(), authenticationScheme));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtAuthenticationOptions>, JwtPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtAuthenticationOptions>, JwtAuthenticationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthKitPipelineContributor, JwtPipelineContributor>());
        services.AddSingleton(ManagedRing(authenticationScheme));
        if (schemes.Count == 1)
        {
            // The primary scheme: its keyed service is the unkeyed one, so replacing either registration replaces what the scheme uses.
            var primary = authenticationScheme;
            services.TryAddSingleton<ITokenService>(sp => CreateTokenService(sp, primary));
            services.TryAddKeyedSingleton<ITokenService>(primary, static (sp, _) => sp.GetRequiredService<ITokenService>());
            services.Configure<AuthKitForwardingOptions>(o => o.BearerScheme ??= primary);
        }
        else
        {
            services.TryAddKeyedSingleton<ITokenService>(authenticationScheme, static (sp, key) => CreateTokenService(sp, (string)key!));
        }

        builder.AddScheme<JwtAuthenticationOptions, JwtAuthenticationHandler>(authenticationScheme, displayName, configureOptions: null);
        return builder;
    }

    private static JwtTokenService CreateTokenService(IServiceProvider services, string scheme) => new(
        services.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>(),
        scheme,
        services.GetRequiredService<ISessionStore>(),
        services.GetService<TimeProvider>() ?? TimeProvider.System,
        services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
        services.GetService<ManagedKeyRegistry>()?.Find(ManagedKeyRingNames.Jwt(scheme)),
        services.GetService<AuthKitMetrics>());

    /// <summary>The scheme's managed ring: its algorithm when the scheme has no configured key, kept as long as an access token lives.</summary>
    private static ManagedKeyRingRegistration ManagedRing(string scheme) => new(
        ManagedKeyRingNames.Jwt(scheme),
        sp =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>().Get(scheme);
            return o.UsesManagedKeys ? o.ManagedKeyAlgorithm : null;
        },
        sp =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>().Get(scheme);
            return o.AccessTokenLifetime + o.ClockSkew;
        });
}
