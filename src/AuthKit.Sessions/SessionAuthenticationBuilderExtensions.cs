using AuthKit.Internal.Keys;
using AuthKit;
using AuthKit.Internal;
using AuthKit.Sessions;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the AuthKit session scheme to the framework's authentication builder.</summary>
/// <remarks>
/// <para>Registers, besides the scheme: AuthKit's core (<c>AddAuthKit()</c>, idempotent), <c>HttpContext.Session</c> backed by the
/// <see cref="ISessionStore"/> (loaded by <c>app.UseAuthKit()</c> after authentication), and <see cref="ISessionManager"/>. The
/// scheme becomes the <c>AuthKit</c> policy scheme's cookie, sign-in and sign-out target.</para>
/// <para>An application has one session scheme (<c>HttpContext.Session</c> belongs to it): calling again with the same name
/// applies the configuration too; another name is refused. Options bind from <c>AuthKit:Sessions</c>, then the configuration
/// in code runs (values set in code win), and they are validated at start-up.</para>
/// <para>Do not also call the framework's <c>AddSession()</c>/<c>UseSession()</c>: AuthKit provides <c>HttpContext.Session</c>.</para>
/// </remarks>
public static class SessionAuthenticationBuilderExtensions
{
    /// <summary>Adds the session scheme under <see cref="SessionAuthenticationDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddAuthKitSessions(this AuthenticationBuilder builder) =>
        builder.AddAuthKitSessions(SessionAuthenticationDefaults.AuthenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds the session scheme under <see cref="SessionAuthenticationDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddAuthKitSessions(this AuthenticationBuilder builder, Action<SessionAuthenticationOptions> configureOptions) =>
        builder.AddAuthKitSessions(SessionAuthenticationDefaults.AuthenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds the session scheme under <paramref name="authenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddAuthKitSessions(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionAuthenticationOptions>? configureOptions) =>
        builder.AddAuthKitSessions(authenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds the session scheme under <paramref name="authenticationScheme"/>, with a display name.</summary>
    /// <exception cref="InvalidOperationException">Another session scheme is already registered.</exception>
    public static AuthenticationBuilder AddAuthKitSessions(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<SessionAuthenticationOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        var authKit = services.AddAuthKit();
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(SessionSchemeMarker))?.ImplementationInstance as SessionSchemeMarker;
        if (existing is not null && !string.Equals(existing.Name, authenticationScheme, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The AuthKit session scheme is already registered as '{existing.Name}'; an application has one session scheme (HttpContext.Session belongs to it). Register '{authenticationScheme}' as that name, or remove one of the calls.");
        }

        authKit.AddAuthKitOptions(SessionAuthenticationDefaults.ConfigurationSection, static (section, o) => BindOptions(section, o), configureOptions, authenticationScheme);
        if (existing is not null)
        {
            return builder;
        }

        services.AddSingleton(new SessionSchemeMarker(authenticationScheme));

        // A session cookie is signed once and lives as long as its session: a retired managed key verifies that long.
        var scheme = authenticationScheme;
        services.AddSingleton(new ManagedKeyRingRegistration(
            ManagedKeyRingNames.Cookies, static _ => null, sp => sp.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(scheme).AbsoluteTimeout));
        services.AddSingleton<SessionRuntime>();
        builder.AddScheme<SessionAuthenticationOptions, SessionAuthenticationHandler>(authenticationScheme, displayName, configureOptions: null);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionAuthenticationOptions>, SessionPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionAuthenticationOptions>, SessionAuthenticationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthKitPipelineContributor, SessionPipelineContributor>());
        services.TryAddSingleton<ISessionManager, SessionManager>();
        services.Configure<AuthKitForwardingOptions>(o =>
        {
            o.DefaultScheme = authenticationScheme;
            o.SessionsRegistered = true;
        });
        return builder;
    }

    // The configuration binder source generator treats PathString as an object with properties and leaves it unbound; the
    // reflection binder converts it from text. Both paths are read here as text, as the reflection binder would.
    private static void BindOptions(IConfiguration section, SessionAuthenticationOptions options)
    {
        section.Bind(options);
        if (section[nameof(SessionAuthenticationOptions.LoginPath)] is { } loginPath)
        {
            options.LoginPath = new PathString(loginPath);
        }

        if (section[nameof(SessionAuthenticationOptions.AccessDeniedPath)] is { } accessDeniedPath)
        {
            options.AccessDeniedPath = new PathString(accessDeniedPath);
        }
    }
}
