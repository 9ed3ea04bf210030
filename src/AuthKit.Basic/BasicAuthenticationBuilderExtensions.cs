using System.Diagnostics.CodeAnalysis;
using AuthKit;
using AuthKit.Basic;
using AuthKit.Basic.Internal;
using AuthKit.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's HTTP Basic scheme to the framework's <see cref="AuthenticationBuilder"/>.</summary>
public static class BasicAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the Basic scheme <see cref="BasicAuthenticationDefaults.AuthenticationScheme"/> with <typeparamref name="TValidator"/> deciding
    /// credentials; options bind from <c>AuthKit:Basic</c>.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthenticationBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthenticationBuilder builder)
        where TValidator : class, IBasicCredentialValidator
        => builder.AddBasic<TValidator>(BasicAuthenticationDefaults.AuthenticationScheme, BasicAuthenticationDefaults.DisplayName, null);

    /// <summary>
    /// Adds the Basic scheme <see cref="BasicAuthenticationDefaults.AuthenticationScheme"/> with <typeparamref name="TValidator"/> deciding
    /// credentials; options bind from <c>AuthKit:Basic</c>, then <paramref name="configureOptions"/> runs.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthenticationBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthenticationBuilder builder, Action<BasicAuthenticationOptions>? configureOptions)
        where TValidator : class, IBasicCredentialValidator
        => builder.AddBasic<TValidator>(BasicAuthenticationDefaults.AuthenticationScheme, BasicAuthenticationDefaults.DisplayName, configureOptions);

    /// <summary>
    /// Adds a Basic scheme named <paramref name="authenticationScheme"/>; options bind from <c>AuthKit:Basic</c> for the default name
    /// and from <c>AuthKit:Basic:{authenticationScheme}</c> otherwise, then <paramref name="configureOptions"/> runs.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthenticationBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthenticationBuilder builder, string authenticationScheme, Action<BasicAuthenticationOptions>? configureOptions)
        where TValidator : class, IBasicCredentialValidator
        => builder.AddBasic<TValidator>(authenticationScheme, BasicAuthenticationDefaults.DisplayName, configureOptions);

    /// <summary>
    /// Adds a Basic scheme named <paramref name="authenticationScheme"/> with <typeparamref name="TValidator"/> deciding credentials.
    /// Options bind from <c>AuthKit:Basic</c> for the default name and from <c>AuthKit:Basic:{authenticationScheme}</c> otherwise, then
    /// <paramref name="configureOptions"/> runs; they are checked at start-up. AuthKit's core services (<c>AddAuthKit()</c>: the key
    /// ring and the <see cref="ICredentialThrottle"/>) are added if missing. The first Basic scheme added is the one the <c>AuthKit</c>
    /// policy scheme forwards <c>Authorization: Basic</c> requests to. Calling it twice for one name is harmless (both
    /// <paramref name="configureOptions"/> actions apply).
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="displayName">The display name of the scheme.</param>
    /// <param name="configureOptions">Configures the scheme; runs after configuration binding.</param>
    public static AuthenticationBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<BasicAuthenticationOptions>? configureOptions)
        where TValidator : class, IBasicCredentialValidator
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        var authKit = services.AddAuthKit();
        var section = BasicAuthenticationDefaults.ConfigurationSectionFor(authenticationScheme);

        services.TryAddScoped<TValidator>();
        services.TryAddSingleton<IBasicCredentialCache, BasicCredentialCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BasicAuthenticationOptions>, BasicAuthenticationOptionsValidator>());
        authKit.AddAuthKitOptions(section, static (section, o) => section.Bind(o), configureOptions, authenticationScheme);
        services.Configure<BasicAuthenticationOptions>(authenticationScheme, o => o.ValidatorType = typeof(TValidator));
        services.Configure<AuthKitForwardingOptions>(o => o.BasicScheme ??= authenticationScheme);

        var registered = services.Any(d => d.ServiceType == typeof(BasicSchemeMarker)
            && d.ImplementationInstance is BasicSchemeMarker m
            && string.Equals(m.Scheme, authenticationScheme, StringComparison.Ordinal));
        if (!registered)
        {
            services.AddSingleton(new BasicSchemeMarker(authenticationScheme));
            builder.AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>(authenticationScheme, displayName, configureOptions: null);
        }

        return builder;
    }

    private sealed class BasicSchemeMarker(string scheme)
    {
        public string Scheme { get; } = scheme;
    }
}
