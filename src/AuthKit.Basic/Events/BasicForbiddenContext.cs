using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Basic;

/// <summary>The context of <see cref="BasicAuthenticationEvents.OnForbidden"/>.</summary>
public sealed class BasicForbiddenContext : PropertiesContext<BasicAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public BasicForbiddenContext(HttpContext context, AuthenticationScheme scheme, BasicAuthenticationOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>Whether the response was written by the event and the handler's default 403 is skipped.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's default 403 (write your own response first).</summary>
    public void HandleResponse() => Handled = true;
}
