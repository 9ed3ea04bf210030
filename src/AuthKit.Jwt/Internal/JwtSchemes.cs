using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// The JWT schemes registered with <c>AddAuthKitJwt</c>, in order. The first is the primary one: the unkeyed <see cref="ITokenService"/> is its
/// token service, the <c>AuthKit</c> policy scheme forwards bearer requests to it, and the endpoint mappings without a scheme name serve it.
/// </summary>
internal sealed class JwtSchemes
{
    private readonly List<string> _names = [];

    public string Primary => _names[0];

    public int Count => _names.Count;

    public bool Add(string scheme)
    {
        if (_names.Contains(scheme, StringComparer.Ordinal))
        {
            return false;
        }

        _names.Add(scheme);
        return true;
    }

    /// <summary>The registry of <paramref name="services"/>, added on first use.</summary>
    public static JwtSchemes Of(IServiceCollection services)
    {
        foreach (var d in services)
        {
            if (d.ServiceType == typeof(JwtSchemes) && d.ImplementationInstance is JwtSchemes existing)
            {
                return existing;
            }
        }

        var schemes = new JwtSchemes();
        services.AddSingleton(schemes);
        return schemes;
    }

    /// <summary>The primary scheme's name, for endpoint mappings that name none.</summary>
    public static string PrimaryOf(IServiceProvider services) =>
        services.GetService<JwtSchemes>() is { Count: > 0 } schemes
            ? schemes.Primary
            : throw new InvalidOperationException("No AuthKit JWT scheme is registered: call services.AddAuthentication().AddAuthKitJwt(...) (or AddAuthKit().AddJwt(...)) before mapping the JWT endpoints.");

    /// <summary>The token service of <paramref name="scheme"/>: the keyed <see cref="ITokenService"/> registered under its name.</summary>
    public static ITokenService GetTokenService(IServiceProvider services, string scheme) =>
        services.GetKeyedService<ITokenService>(scheme)
        ?? throw new InvalidOperationException(
            $"No ITokenService is registered for the JWT scheme '{scheme}'. Register the scheme with AddAuthKitJwt(\"{scheme}\", ...) rather than AddScheme<JwtAuthenticationOptions, JwtAuthenticationHandler>(), "
            + $"or register a keyed ITokenService under '{scheme}'.");
}
