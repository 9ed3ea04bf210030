using AuthKit.Internal;
using AuthKit;
using AuthKit.Cookies.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using AuthKit.Cookies;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AuthKit's cookie policy.</summary>
public static class CookiePolicyAuthKitBuilderExtensions
{
    /// <summary>The configuration section <see cref="AuthKitCookieOptions"/> bind from.</summary>
    public const string ConfigurationSection = "AuthKit:Cookies";

    /// <summary>
    /// Applies secure defaults to every cookie the app writes (<c>Secure</c>, <c>HttpOnly</c>, <c>SameSite=Lax</c>), enforces
    /// the <c>__Host-</c>/<c>__Secure-</c> prefix rules and the size guard, through the framework's cookie policy middleware,
    /// which <c>app.UseAuthKit()</c> adds before authentication. Calling it twice is harmless.
    /// </summary>
    /// <remarks>Options bind from <c>AuthKit:Cookies</c> and are validated at start-up.</remarks>
    public static AuthKitBuilder AddCookiePolicy(this AuthKitBuilder builder, Action<AuthKitCookieOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthKitOptions(ConfigurationSection, static (section, o) => section.Bind(o), configure);
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthKitCookieOptions>, AuthKitCookieOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookiePolicyOptions>, AuthKitCookiePolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthKitPipelineContributor, CookiePolicyPipelineContributor>());
        return builder;
    }
}
