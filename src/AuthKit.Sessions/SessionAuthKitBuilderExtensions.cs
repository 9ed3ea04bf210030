using AuthKit;
using AuthKit.Sessions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AuthKit session scheme on the AuthKit builder.</summary>
public static class SessionAuthKitBuilderExtensions
{
    /// <summary>
    /// Adds the session scheme (<see cref="SessionAuthenticationDefaults.AuthenticationScheme"/>) as the AuthKit default scheme
    /// (cookie requests, sign-in and sign-out), <c>HttpContext.Session</c> backed by the <see cref="ISessionStore"/>, and
    /// <see cref="ISessionManager"/>: the same as <c>services.AddAuthentication().AddAuthKitSessions(configure)</c>. Calling it
    /// twice is harmless.
    /// </summary>
    /// <remarks>
    /// Options bind from <c>AuthKit:Sessions</c>, then <paramref name="configure"/> runs (values set in code win), and they are
    /// validated at start-up. Do not also call the framework's <c>AddSession()</c>/<c>UseSession()</c>: AuthKit provides
    /// <c>HttpContext.Session</c>. To choose the scheme's name, use <c>AddAuthentication().AddAuthKitSessions(name, configure)</c>.
    /// </remarks>
    public static AuthKitBuilder AddSessions(this AuthKitBuilder builder, Action<SessionAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication().AddAuthKitSessions(SessionAuthenticationDefaults.AuthenticationScheme, displayName: null, configure);
        return builder;
    }
}
