using AuthKit;
using AuthKit.Jwt;
using AuthKit.Jwt.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps AuthKit's JWT endpoints: the JWKS and the token refresh/revoke endpoints.</summary>
public static class JwtEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET /.well-known/jwks.json</c> to the public keys of the primary JWT scheme (the first registered).</summary>
    /// <inheritdoc cref="MapAuthKitJwks(IEndpointRouteBuilder, string, string)" path="/remarks"/>
    public static IEndpointConventionBuilder MapAuthKitJwks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAuthKitJwks("/.well-known/jwks.json");

    /// <summary>Maps <c>GET {pattern}</c> to the public keys of the primary JWT scheme (the first registered).</summary>
    /// <inheritdoc cref="MapAuthKitJwks(IEndpointRouteBuilder, string, string)" path="/remarks"/>
    public static IEndpointConventionBuilder MapAuthKitJwks(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapAuthKitJwks(pattern, JwtSchemes.PrimaryOf(endpoints.ServiceProvider));
    }

    /// <summary>Maps <c>GET {pattern}</c> to the public keys of the JWT scheme <paramref name="authenticationScheme"/>.</summary>
    /// <remarks>
    /// The JSON Web Key Set (RFC 7517) of the scheme's configured keys: <c>kty</c>, <c>kid</c>, <c>alg</c>, <c>use: "sig"</c> and the public
    /// parameters. HMAC keys are never published. Answered with <c>Cache-Control: public, max-age=300</c>.
    /// </remarks>
    public static IEndpointConventionBuilder MapAuthKitJwks(this IEndpointRouteBuilder endpoints, string pattern, string authenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        return endpoints.MapGet(pattern, (RequestDelegate)(context => JwtEndpoints.JwksAsync(context, authenticationScheme))).WithDisplayName("AuthKit JWKS");
    }

    /// <summary>Maps <c>POST /auth/token/refresh</c> and <c>POST /auth/token/revoke</c> for the primary JWT scheme (the first registered).</summary>
    /// <inheritdoc cref="MapAuthKitTokenEndpoints(IEndpointRouteBuilder, string, string)" path="/remarks"/>
    public static IEndpointConventionBuilder MapAuthKitTokenEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAuthKitTokenEndpoints("/auth/token");

    /// <summary>Maps <c>POST {pattern}/refresh</c> and <c>POST {pattern}/revoke</c> for the primary JWT scheme (the first registered).</summary>
    /// <inheritdoc cref="MapAuthKitTokenEndpoints(IEndpointRouteBuilder, string, string)" path="/remarks"/>
    public static IEndpointConventionBuilder MapAuthKitTokenEndpoints(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapAuthKitTokenEndpoints(pattern, JwtSchemes.PrimaryOf(endpoints.ServiceProvider));
    }

    /// <summary>Maps <c>POST {pattern}/refresh</c> and <c>POST {pattern}/revoke</c> for the JWT scheme <paramref name="authenticationScheme"/>.</summary>
    /// <remarks>
    /// <para><c>refresh</c>: RFC 6749 §6, form <c>grant_type=refresh_token&amp;refresh_token=…</c> or JSON <c>{"refresh_token":"…"}</c>; answers §5.1
    /// JSON with <c>Cache-Control: no-store</c>, or 400 <c>{"error":"invalid_grant"}</c>. <c>revoke</c>: RFC 7009, <c>token=…</c>; a refresh token
    /// revokes its family, an access token has its <c>jti</c> denied; always 200.</para>
    /// <para>Both call the scheme's <see cref="ITokenService"/> (the keyed service registered under the scheme name, so a replacement is used).
    /// The endpoints take no client authentication: the refresh token is the credential. Serve them over HTTPS only.</para>
    /// </remarks>
    public static IEndpointConventionBuilder MapAuthKitTokenEndpoints(this IEndpointRouteBuilder endpoints, string pattern, string authenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var group = endpoints.MapGroup(pattern);
        group.MapPost("/refresh", (RequestDelegate)(context => JwtEndpoints.RefreshAsync(context, authenticationScheme))).WithDisplayName("AuthKit token refresh");
        group.MapPost("/revoke", (RequestDelegate)(context => JwtEndpoints.RevokeAsync(context, authenticationScheme))).WithDisplayName("AuthKit token revocation");
        return group;
    }
}
