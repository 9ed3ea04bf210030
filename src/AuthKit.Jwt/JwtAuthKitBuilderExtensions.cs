using AuthKit;
using AuthKit.Jwt;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AuthKit's JWT bearer tokens to <c>AddAuthKit()</c>: thin wrappers over <see cref="JwtAuthenticationBuilderExtensions"/>.</summary>
public static class JwtAuthKitBuilderExtensions
{
    /// <summary>
    /// Adds the JWT scheme <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/> (<c>AuthKit.Jwt</c>) and its <see cref="ITokenService"/>,
    /// options bound from <c>AuthKit:Jwt</c>; the <c>AuthKit</c> policy scheme forwards <c>Authorization: Bearer</c> requests to it.
    /// </summary>
    /// <remarks>The same as <c>services.AddAuthentication().AddAuthKitJwt()</c>. Calling it twice is harmless.</remarks>
    public static AuthKitBuilder AddJwt(this AuthKitBuilder builder) =>
        builder.AddJwt(JwtAuthenticationDefaults.AuthenticationScheme, configure: null);

    /// <summary>
    /// Adds the JWT scheme <see cref="JwtAuthenticationDefaults.AuthenticationScheme"/> (<c>AuthKit.Jwt</c>) and its <see cref="ITokenService"/>:
    /// options bind from <c>AuthKit:Jwt</c>, then <paramref name="configure"/> runs; bad options stop the host at start.
    /// </summary>
    /// <remarks>The same as <c>services.AddAuthentication().AddAuthKitJwt(configure)</c>. Calling it twice is harmless.</remarks>
    public static AuthKitBuilder AddJwt(this AuthKitBuilder builder, Action<JwtAuthenticationOptions>? configure) =>
        builder.AddJwt(JwtAuthenticationDefaults.AuthenticationScheme, configure);

    /// <summary>Adds a JWT scheme named <paramref name="authenticationScheme"/> (for example a second issuer), options bound from <c>AuthKit:Jwt:Schemes:{scheme}</c>.</summary>
    /// <remarks>The same as <c>services.AddAuthentication().AddAuthKitJwt(authenticationScheme, configure)</c>.</remarks>
    public static AuthKitBuilder AddJwt(this AuthKitBuilder builder, string authenticationScheme, Action<JwtAuthenticationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication().AddAuthKitJwt(authenticationScheme, configure);
        return builder;
    }
}
