using AuthKit.Internal;
using AuthKit;
using AuthKit.Sessions.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using AuthKit.Sessions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AuthKit session scheme.</summary>
public static class SessionAuthKitBuilderExtensions
{
    /// <summary>
    /// Adds the session scheme (<see cref="SessionAuthenticationDefaults.AuthenticationScheme"/>) as the AuthKit default scheme
    /// (cookie requests, sign-in and sign-out), <c>HttpContext.Session</c> backed by the <see cref="ISessionStore"/>, and
    /// <see cref="ISessionManager"/>. <c>app.UseAuthKit()</c> adds the session-loading middleware after authentication.
    /// Calling it twice is harmless.
    /// </summary>
    /// <remarks>
    /// Options bind from <c>AuthKit:Sessions</c>, then <paramref name="configure"/> runs, and they are validated at start-up.
    /// Do not also call the framework's <c>AddSession()</c>/<c>UseSession()</c>: AuthKit provides <c>HttpContext.Session</c>.
    /// </remarks>
    public static AuthKitBuilder AddSessions(this AuthKitBuilder builder, Action<SessionAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        const string scheme = SessionAuthenticationDefaults.AuthenticationScheme;
        builder.AddAuthKitOptions(SessionAuthenticationDefaults.ConfigurationSection, static (section, o) => section.Bind(o), configure, scheme);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SessionRuntime)))
        {
            return builder;
        }

        services.AddSingleton<SessionRuntime>();
        services.AddAuthentication().AddScheme<SessionAuthenticationOptions, SessionAuthenticationHandler>(scheme, "Session", configureOptions: null);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionAuthenticationOptions>, SessionPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionAuthenticationOptions>, SessionAuthenticationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthKitPipelineContributor, SessionPipelineContributor>());
        services.TryAddSingleton<ISessionManager, SessionManager>();
        services.Configure<AuthKitForwardingOptions>(o => o.DefaultScheme = scheme);
        return builder;
    }
}
