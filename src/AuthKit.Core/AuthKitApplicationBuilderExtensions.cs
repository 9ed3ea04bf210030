using AuthKit;
using AuthKit.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds AuthKit's middleware.</summary>
public static class AuthKitApplicationBuilderExtensions
{
    private const string PipelineKey = "AuthKit.PipelineSet";

    // The framework's own markers: UseAuthentication()/UseAuthorization() set them, and WebApplication checks them.
    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>
    /// Adds, in order: a 503 answer for store failures that escape an endpoint (a <see cref="SessionStoreException"/> from the
    /// throttle, session manager or token service, never a 500), the cookie policy (AuthKit.Cookies), authentication, session
    /// loading (AuthKit.Sessions) and authorization.
    /// Without AuthKit.Sessions, touching <c>HttpContext.Session</c> throws a message naming the package and <c>.AddSessions()</c>
    /// (unless the framework's own <c>UseSession()</c> runs before it).
    /// Calling it twice is harmless, and so is calling the framework's <c>UseAuthentication()</c> before it (authentication then runs once).
    /// </summary>
    /// <remarks>Call it after <c>UseRouting()</c> (or let <c>WebApplication</c> add routing) and before the endpoints.</remarks>
    public static IApplicationBuilder UseAuthKit(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Properties.ContainsKey(PipelineKey))
        {
            return app;
        }

        app.Properties[PipelineKey] = true;
        var contributors = app.ApplicationServices.GetServices<IAuthKitPipelineContributor>().ToList();
        app.UseMiddleware<StoreFailureMiddleware>();
        Run(app, contributors, AuthKitPipelineStage.BeforeAuthentication);
        if (!app.Properties.ContainsKey(AuthenticationSetKey))
        {
            app.UseAuthentication();
        }

        Run(app, contributors, AuthKitPipelineStage.AfterAuthentication);
        if (app.ApplicationServices.GetService<IOptions<AuthKitForwardingOptions>>()?.Value.SessionsRegistered != true)
        {
            app.Use(MissingSessionFeature.InvokeAsync);
        }

        if (!app.Properties.ContainsKey(AuthorizationSetKey))
        {
            app.UseAuthorization();
        }

        Run(app, contributors, AuthKitPipelineStage.AfterAuthorization);
        return app;
    }

    private static void Run(IApplicationBuilder app, List<IAuthKitPipelineContributor> contributors, AuthKitPipelineStage stage)
    {
        foreach (var contributor in contributors)
        {
            if (contributor.Stage == stage)
            {
                contributor.Configure(app);
            }
        }
    }
}
