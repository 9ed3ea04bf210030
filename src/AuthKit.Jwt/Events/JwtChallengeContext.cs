using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt;

/// <summary>Raised before the 401 (or 400) challenge is written; change the error fields, or write your own response and call <see cref="HandleResponse"/>.</summary>
public sealed class JwtChallengeContext : PropertiesContext<JwtAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public JwtChallengeContext(HttpContext context, AuthenticationScheme scheme, JwtAuthenticationOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>Why authentication failed, when a token was sent and refused; <see langword="null"/> when no token was sent.</summary>
    public TokenValidationError? Failure { get; set; }

    /// <summary>The RFC 6750 error code (<c>invalid_token</c>, <c>invalid_request</c>), or <see langword="null"/> when no token was sent.</summary>
    public string? Error { get; set; }

    /// <summary>The <c>error_description</c>, written only when set (by default only with <see cref="JwtAuthenticationOptions.IncludeErrorDetails"/>).</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>The status code written: 401, or 400 for <c>invalid_request</c>.</summary>
    public int StatusCode { get; set; } = StatusCodes.Status401Unauthorized;

    /// <summary>Whether the app wrote the response itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the default challenge: the app writes the response.</summary>
    public void HandleResponse() => Handled = true;
}
