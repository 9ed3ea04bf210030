using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Internal;

/// <summary>Fills what configuration may have left empty.</summary>
internal sealed class SessionPostConfigureOptions : IPostConfigureOptions<SessionAuthenticationOptions>
{
    public void PostConfigure(string? name, SessionAuthenticationOptions options)
    {
        options.Cookie.Path ??= "/";
        if (string.IsNullOrEmpty(options.Cookie.Name))
        {
            options.Cookie.Name = SessionAuthenticationDefaults.CookieName;
        }
    }
}
