using AuthKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on the managed key ring.</summary>
public static class ManagedKeyRingAuthKitBuilderExtensions
{
    /// <summary>
    /// Lets AuthKit create, share and rotate its keys in the app's <see cref="ISessionStore"/>: the cookie keys, and the signing keys
    /// of every JWT scheme that has no configured keys. Every instance that shares the store shares the keys; nothing to copy.
    /// </summary>
    /// <remarks>Same as <c>AuthKit:ManagedKeys:Enabled = true</c>; the other settings bind from <c>AuthKit:ManagedKeys</c>, then <paramref name="configure"/> runs.</remarks>
    public static AuthKitBuilder UseManagedKeys(this AuthKitBuilder builder, Action<ManagedKeyRingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ManagedKeyRingOptions>(o =>
        {
            o.Enabled = true;
            configure?.Invoke(o);
        });
        return builder;
    }
}
