using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt;

/// <summary>Raised when a token was refused.</summary>
public sealed class JwtAuthenticationFailedContext : ResultContext<JwtAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public JwtAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, JwtAuthenticationOptions options, TokenValidationError error)
        : base(context, scheme, options)
    {
        Error = error;
    }

    /// <summary>Why the token was refused.</summary>
    public TokenValidationError Error { get; }
}
