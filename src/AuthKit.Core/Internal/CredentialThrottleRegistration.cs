using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Registers the credential throttle and the password hasher's option rules (called by <c>AddAuthKit()</c>).</summary>
internal static class CredentialThrottleRegistration
{
    public static void AddCredentialThrottle(this AuthKitBuilder builder)
    {
        builder.AddAuthKitOptions<CredentialThrottleOptions>(AuthKitDefaults.CredentialThrottleConfigurationSection, static (section, o) => section.Bind(o));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CredentialThrottleOptions>, CredentialThrottleOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Pbkdf2PasswordHasherOptions>, Pbkdf2PasswordHasherOptionsValidator>());
        builder.Services.TryAddSingleton<ICredentialThrottle, CredentialThrottle>();
    }
}
