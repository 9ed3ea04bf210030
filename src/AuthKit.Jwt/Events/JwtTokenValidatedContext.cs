using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt;

/// <summary>Raised when a token validated: inspect or change <see cref="ResultContext{TOptions}.Principal"/>, or call <see cref="ResultContext{TOptions}.Fail(string)"/>.</summary>
public sealed class JwtTokenValidatedContext : ResultContext<JwtAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public JwtTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, JwtAuthenticationOptions options, AccessTokenValidationResult validationResult)
        : base(context, scheme, options)
    {
        ArgumentNullException.ThrowIfNull(validationResult);
        ValidationResult = validationResult;
        Principal = validationResult.Principal;
    }

    /// <summary>The validation outcome (token ID, expiry).</summary>
    public AccessTokenValidationResult ValidationResult { get; }
}
