using AuthKit.Internal;
using AuthKit;
using AuthKit.Jwt;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's JWT bearer tokens.</summary>
public static class JwtAuthKitBuilderExtensions
{
    /// <summary>
    /// Registers the bearer scheme <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/> (<c>Bearer</c>), the <see cref="ITokenService"/>
    /// (<see cref="JwtTokenService"/>), and makes the <c>AuthKit</c> policy scheme forward <c>Authorization: Bearer</c> requests to it.
    /// Options bind from <c>AuthKit:Jwt</c>, then <paramref name="configure"/> runs; bad options stop the host at start. Calling it twice is harmless.
    /// </summary>
    public static AuthKitBuilder AddJwt(this AuthKitBuilder builder, Action<JwtAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        const string scheme = JwtAuthenticationDefaults.AuthenticationScheme;
        var services = builder.Services;
        builder.AddAuthKitOptions(JwtAuthenticationDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure, scheme);
        if (services.Any(d => d.ServiceType == typeof(JwtMarkerService)))
        {
            return builder;
        }

        services.AddSingleton<JwtMarkerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtAuthenticationOptions>, JwtPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtAuthenticationOptions>, JwtAuthenticationOptionsValidator>());
        services.TryAddSingleton(sp => new JwtTokenService(
            sp.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>().Get(scheme),
            sp.GetRequiredService<ISessionStore>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<JwtTokenService>>(),
            scheme));
        services.TryAddSingleton<ITokenService>(sp => sp.GetRequiredService<JwtTokenService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthKitPipelineContributor, AuthKit.Jwt.Internal.JwtPipelineContributor>());
        services.AddAuthentication().AddScheme<JwtAuthenticationOptions, JwtAuthenticationHandler>(scheme, displayName: "Bearer", configureOptions: null);
        services.Configure<AuthKitForwardingOptions>(o => o.BearerScheme = scheme);
        return builder;
    }

    private sealed class JwtMarkerService;
}
