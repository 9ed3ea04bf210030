using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AuthKit.Internal;

/// <summary>
/// Set by <c>UseAuthKit()</c> when no session scheme is registered (and nothing else provides a session), so that touching
/// <c>HttpContext.Session</c> says which package and call to add instead of the framework's generic message.
/// </summary>
internal sealed class MissingSessionFeature : ISessionFeature
{
    internal const string Message =
        "HttpContext.Session needs AuthKit's sessions, and they are not registered: add the AuthKit.Sessions package and call " +
        ".AddSessions() (builder.Services.AddAuthKit().AddSessions()). AuthKit.Core alone keeps no per-request session.";

    public static readonly MissingSessionFeature Instance = new();

    public ISession Session
    {
        get => throw new InvalidOperationException(Message);
        set => throw new InvalidOperationException(Message);
    }

    /// <summary>The middleware: leaves a session set by anything else (the framework's <c>UseSession()</c> before it) alone.</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<ISessionFeature>() is null)
        {
            context.Features.Set<ISessionFeature>(Instance);
        }

        return next(context);
    }
}
