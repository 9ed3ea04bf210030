using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt;

/// <summary>Raised first on each authentication: set <see cref="Token"/> to supply the token from elsewhere, or decide the result.</summary>
public sealed class JwtMessageReceivedContext : ResultContext<JwtAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public JwtMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, JwtAuthenticationOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>The token to validate instead of the one in the <c>Authorization</c> header or the cookie.</summary>
    /// <remarks>Never read it from the query string: URLs end up in logs, history and <c>Referer</c> headers.</remarks>
    public string? Token { get; set; }
}
