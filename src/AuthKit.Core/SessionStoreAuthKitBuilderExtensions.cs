using System.Diagnostics.CodeAnalysis;
using AuthKit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects an application's own <see cref="ISessionStore"/>.</summary>
public static class SessionStoreAuthKitBuilderExtensions
{
    /// <summary>
    /// Uses <typeparamref name="TStore"/>, created by the service provider as a singleton, as the <see cref="ISessionStore"/>
    /// of every AuthKit package (sessions, refresh tokens). Replaces the store chosen before; the last <c>Use…SessionStore</c>
    /// call wins.
    /// </summary>
    /// <remarks>
    /// The store is also resolvable as <typeparamref name="TStore"/> (the same instance). Prove a custom store with the
    /// conformance suite of the AuthKit.Testing package.
    /// </remarks>
    public static AuthKitBuilder UseSessionStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this AuthKitBuilder builder)
        where TStore : class, ISessionStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<TStore>()));
        return builder;
    }

    /// <summary>
    /// Uses the store <paramref name="factory"/> creates (once, as a singleton) as the <see cref="ISessionStore"/> of every
    /// AuthKit package. Replaces the store chosen before; the last <c>Use…SessionStore</c> call wins.
    /// </summary>
    public static AuthKitBuilder UseSessionStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this AuthKitBuilder builder, Func<IServiceProvider, TStore> factory)
        where TStore : class, ISessionStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton<TStore>(factory));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<TStore>()));
        return builder;
    }
}
