using System.Diagnostics.CodeAnalysis;
using AuthKit;
using AuthKit.Basic;
using AuthKit.Basic.Internal;
using AuthKit.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's HTTP Basic scheme from <c>AddAuthKit()</c>: thin wrappers over <see cref="BasicAuthenticationBuilderExtensions"/>.</summary>
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
    /// credentials; options bind from <c>AuthKit:Basic</c>, then <paramref name="configureOptions"/> runs.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthKitBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthKitBuilder builder, Action<BasicAuthenticationOptions>? configureOptions)
        where TValidator : class, IBasicCredentialValidator
        => builder.AddBasic<TValidator>(BasicAuthenticationDefaults.AuthenticationScheme, configureOptions);

    /// <summary>
    /// Adds a Basic scheme named <paramref name="authenticationScheme"/>: see
    /// <see cref="BasicAuthenticationBuilderExtensions.AddBasic{TValidator}(Microsoft.AspNetCore.Authentication.AuthenticationBuilder, string, string?, Action{BasicAuthenticationOptions}?)"/>.
    /// </summary>
    /// <typeparam name="TValidator">Registered scoped (unless already registered), so it may use scoped services.</typeparam>
    public static AuthKitBuilder AddBasic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this AuthKitBuilder builder, string authenticationScheme, Action<BasicAuthenticationOptions>? configureOptions)
        where TValidator : class, IBasicCredentialValidator
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication().AddBasic<TValidator>(authenticationScheme, BasicAuthenticationDefaults.DisplayName, configureOptions);
        return builder;
    }

    /// <summary>
    /// Adds the Basic scheme with <see cref="BasicUserTableValidator"/>: a table of user names and <see cref="IAuthKitPasswordHasher"/> hashes,
    /// bound from <c>AuthKit:Basic:Users</c> (<c>"AuthKit:Basic:Users:alice": "$pbkdf2-sha256$i=600000$…"</c>) and/or filled in code.
    /// </summary>
    /// <param name="builder">The AuthKit builder.</param>
    /// <param name="configureUsers">Adds users in code (<c>u => u.Users["alice"] = hash</c>).</param>
    /// <param name="configureOptions">Configures the scheme.</param>
    public static AuthKitBuilder AddBasicUsers(this AuthKitBuilder builder, Action<BasicUserTableOptions>? configureUsers = null, Action<BasicAuthenticationOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAuthKitOptions(BasicAuthenticationDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configureUsers);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BasicUserTableOptions>, BasicUserTableOptionsValidator>());
        return builder.AddBasic<BasicUserTableValidator>(configureOptions);
    }
}
