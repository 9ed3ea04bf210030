using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Jwt;

/// <summary>Raised before the 403 (<c>insufficient_scope</c>) response is written; write your own and call <see cref="HandleResponse"/> to replace it.</summary>
public sealed class JwtForbiddenContext : PropertiesContext<JwtAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public JwtForbiddenContext(HttpContext context, AuthenticationScheme scheme, JwtAuthenticationOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>The space-separated scopes needed, written as the challenge's <c>scope</c> parameter when set.</summary>
    public string? Scope { get; set; }

    /// <summary>Whether the app wrote the response itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the default 403 response: the app writes its own.</summary>
    public void HandleResponse() => Handled = true;
}
