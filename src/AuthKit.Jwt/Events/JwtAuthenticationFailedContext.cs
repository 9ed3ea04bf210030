using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt;

/// <summary>Raised when a token was refused.</summary>
public sealed class JwtAuthenticationFailedContext : ResultContext<JwtAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public JwtAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, JwtAuthenticationOptions options, TokenValidationError failure)
        : base(context, scheme, options)
    {
        Failure = failure;
    }

    /// <summary>Why the token was refused (<c>Failure</c>, as on every AuthKit event context; the type is the validation error code).</summary>
    public TokenValidationError Failure { get; }
}
