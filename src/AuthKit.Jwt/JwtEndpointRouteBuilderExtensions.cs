using AuthKit;
using AuthKit.Jwt;
using AuthKit.Jwt.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps AuthKit's JWT endpoints: the JWKS and the token refresh/revoke endpoints.</summary>
public static class JwtEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET {pattern}</c> to the JSON Web Key Set (RFC 7517) of the public keys: <c>kty</c>, <c>kid</c>, <c>alg</c>, <c>use: "sig"</c> and the public parameters.
    /// HMAC keys are never published. Answered with <c>Cache-Control: public, max-age=300</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapAuthKitJwks(this IEndpointRouteBuilder endpoints, string pattern = "/.well-known/jwks.json")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return endpoints.MapGet(pattern, (RequestDelegate)JwtEndpoints.JwksAsync).WithDisplayName("AuthKit JWKS");
    }

    /// <summary>
    /// Maps <c>POST {pattern}/refresh</c> (RFC 6749 §6: form <c>grant_type=refresh_token&amp;refresh_token=…</c> or JSON <c>{"refresh_token":"…"}</c>;
    /// answers §5.1 JSON with <c>Cache-Control: no-store</c>, or 400 <c>{"error":"invalid_grant"}</c>) and <c>POST {pattern}/revoke</c>
    /// (RFC 7009: <c>token=…</c>, a refresh token revokes its family, an access token has its <c>jti</c> denied; always 200).
    /// </summary>
    /// <remarks>The endpoints take no client authentication: the refresh token is the credential. Serve them over HTTPS only.</remarks>
    public static IEndpointConventionBuilder MapAuthKitTokenEndpoints(this IEndpointRouteBuilder endpoints, string pattern = "/auth/token")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var group = endpoints.MapGroup(pattern);
        group.MapPost("/refresh", (RequestDelegate)JwtEndpoints.RefreshAsync).WithDisplayName("AuthKit token refresh");
        group.MapPost("/revoke", (RequestDelegate)JwtEndpoints.RevokeAsync).WithDisplayName("AuthKit token revocation");
        return group;
    }
}
