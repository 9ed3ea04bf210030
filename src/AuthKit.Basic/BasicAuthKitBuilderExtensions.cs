using System.Diagnostics.CodeAnalysis;
using AuthKit.Internal;
using AuthKit;
using AuthKit.Basic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's HTTP Basic scheme.</summary>
public static class BasicAuthKitBuilderExtensions
{
    /// <summary>
    /// Adds the Basic scheme <see cref="BasicAuthenticationDefaults.AuthenticationScheme"/> with <typeparamref name="TValidator"/> deciding
    /// credentials; options bind from <c>AuthKit:Basic</c>. The <c>AuthKit</c> policy scheme forwards <c>Authorization: Basic</c> requests to it.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthKitBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthKitBuilder builder)
        where TValidator : class, IBasicCredentialValidator
        => builder.AddBasic<TValidator>(BasicAuthenticationDefaults.AuthenticationScheme, null);

    /// <summary>
    /// Adds the Basic scheme <see cref="BasicAuthenticationDefaults.AuthenticationScheme"/> with <typeparamref name="TValidator"/> deciding
    /// credentials; options bind from <c>AuthKit:Basic</c>, then <paramref name="configure"/> runs. The <c>AuthKit</c> policy scheme
    /// forwards <c>Authorization: Basic</c> requests to it.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthKitBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthKitBuilder builder, Action<BasicAuthenticationOptions>? configure)
        where TValidator : class, IBasicCredentialValidator
        => builder.AddBasic<TValidator>(BasicAuthenticationDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds a Basic scheme named <paramref name="authenticationScheme"/>; options bind from <c>AuthKit:Basic</c> for the default name and
    /// from <c>AuthKit:Basic:{authenticationScheme}</c> otherwise. The first Basic scheme added is the one the <c>AuthKit</c> policy
    /// scheme forwards to. Calling it twice for one name is harmless (both <paramref name="configure"/> actions apply).
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthKitBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthKitBuilder builder, string authenticationScheme, Action<BasicAuthenticationOptions>? configure)
        where TValidator : class, IBasicCredentialValidator
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        var section = authenticationScheme == BasicAuthenticationDefaults.AuthenticationScheme
            ? BasicAuthenticationDefaults.ConfigurationSection
            : BasicAuthenticationDefaults.ConfigurationSection + ":" + authenticationScheme;

        services.TryAddScoped<TValidator>();
        services.TryAddSingleton<BasicCredentialCache>();
        services.TryAddSingleton<IBasicCredentialCache>(sp => sp.GetRequiredService<BasicCredentialCache>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<BasicAuthenticationOptions>, BasicPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BasicAuthenticationOptions>, BasicAuthenticationOptionsValidator>());
        builder.AddAuthKitOptions(section, static (section, o) => section.Bind(o), configure, authenticationScheme);
        services.Configure<BasicAuthenticationOptions>(authenticationScheme, o => o.ValidatorType = typeof(TValidator));
        services.Configure<AuthKitForwardingOptions>(o => o.BasicScheme ??= authenticationScheme);

        var registered = services.Any(d => d.ServiceType == typeof(BasicSchemeMarker)
            && d.ImplementationInstance is BasicSchemeMarker m
            && string.Equals(m.Scheme, authenticationScheme, StringComparison.Ordinal));
        if (!registered)
        {
            services.AddSingleton(new BasicSchemeMarker(authenticationScheme));
            services.AddAuthentication().AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>(authenticationScheme, displayName: "Basic", configureOptions: null);
        }

        return builder;
    }

    /// <summary>
    /// Adds the Basic scheme with <see cref="BasicUserTableValidator"/>: a table of user names and <see cref="IAuthKitPasswordHasher"/> hashes,
    /// bound from <c>AuthKit:Basic:Users</c> (<c>"AuthKit:Basic:Users:alice": "$pbkdf2-sha256$i=600000$…"</c>) and/or filled in code.
    /// </summary>
    /// <param name="builder">The AuthKit builder.</param>
    /// <param name="configureUsers">Adds users in code (<c>u => u.Users["alice"] = hash</c>).</param>
    /// <param name="configure">Configures the scheme.</param>
    public static AuthKitBuilder AddBasicUsers(this AuthKitBuilder builder, Action<BasicUserTableOptions>? configureUsers = null, Action<BasicAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthKitOptions(BasicAuthenticationDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configureUsers);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BasicUserTableOptions>, BasicUserTableOptionsValidator>());
        return builder.AddBasic<BasicUserTableValidator>(configure);
    }

    private sealed class BasicSchemeMarker(string scheme)
    {
        public string Scheme { get; } = scheme;
    }
}
