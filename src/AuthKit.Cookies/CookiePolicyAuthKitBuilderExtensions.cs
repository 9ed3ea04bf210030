using AuthKit;
using AuthKit.Cookies;
using AuthKit.Cookies.Internal;
using AuthKit.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AuthKit's cookie policy.</summary>
public static class CookiePolicyAuthKitBuilderExtensions
{
    /// <summary>
    /// Applies secure defaults to every cookie the app writes (<c>Secure</c>, <c>HttpOnly</c>, <c>SameSite=Lax</c>), enforces
    /// the <c>__Host-</c>/<c>__Secure-</c> prefix rules and the size guard, through the framework's cookie policy middleware,
    /// which <c>app.UseAuthKit()</c> adds before authentication. Registers <see cref="AuthKitCookieManager"/>. Calling it twice
    /// is harmless.
    /// </summary>
    /// <remarks>Options bind from <c>AuthKit:Cookies</c>, then <paramref name="configure"/> runs (values set in code win), and they are validated at start-up.</remarks>
    public static AuthKitBuilder AddCookiePolicy(this AuthKitBuilder builder, Action<AuthKitCookieOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthKitOptions(AuthKitCookieDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure);
        var services = builder.Services;
        services.TryAddSingleton<AuthKitCookieManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthKitCookieOptions>, AuthKitCookieOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookiePolicyOptions>, AuthKitCookiePolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthKitPipelineContributor, CookiePolicyPipelineContributor>());
        return builder;
    }
}
