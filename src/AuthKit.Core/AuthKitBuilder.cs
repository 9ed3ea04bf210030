using Microsoft.Extensions.DependencyInjection;

namespace AuthKit;

/// <summary>Returned by <c>AddAuthKit()</c>; the AuthKit packages hang their extensions on it.</summary>
public sealed class AuthKitBuilder
{
    /// <summary>Creates a builder over a service collection.</summary>
    public AuthKitBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }
}
