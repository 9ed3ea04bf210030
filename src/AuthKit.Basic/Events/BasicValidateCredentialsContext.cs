using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Basic;

/// <summary>The context of <see cref="BasicAuthenticationEvents.OnValidateCredentials"/>.</summary>
public sealed class BasicValidateCredentialsContext : ResultContext<BasicAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public BasicValidateCredentialsContext(HttpContext context, AuthenticationScheme scheme, BasicAuthenticationOptions options, string userName, string password)
        : base(context, scheme, options)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        UserName = userName;
        Password = password;
    }

    /// <summary>The user-id the client sent.</summary>
    public string UserName { get; }

    /// <summary>The password the client sent. Never log or store it.</summary>
    public string Password { get; }
}
