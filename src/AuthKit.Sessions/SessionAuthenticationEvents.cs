using AuthKit.Sessions;

namespace AuthKit.Sessions;

/// <summary>The events of the session scheme. Set the delegates, or derive and override the methods (with <c>EventsType</c> to take it from DI).</summary>
public class SessionAuthenticationEvents
{
    private static readonly Func<SessionValidatePrincipalContext, Task> s_noValidation = _ => Task.CompletedTask;

    /// <summary>Called on each authenticated request, after the session is read; may replace or reject the principal.</summary>
    public Func<SessionValidatePrincipalContext, Task> OnValidatePrincipal { get; set; } = s_noValidation;

    /// <summary>Called before a sign-in creates the new session; may change the principal, the properties or the cookie options.</summary>
    public Func<SessionSigningInContext, Task> OnSigningIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called after a sign-in stored the new session and wrote its cookie.</summary>
    public Func<SessionSignedInContext, Task> OnSignedIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called before a sign-out removes the session and expires the cookie.</summary>
    public Func<SessionSigningOutContext, Task> OnSigningOut { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnValidatePrincipal"/>.</summary>
    public virtual Task ValidatePrincipal(SessionValidatePrincipalContext context) => OnValidatePrincipal(context);

    /// <summary>Invokes <see cref="OnSigningIn"/>.</summary>
    public virtual Task SigningIn(SessionSigningInContext context) => OnSigningIn(context);

    /// <summary>Invokes <see cref="OnSignedIn"/>.</summary>
    public virtual Task SignedIn(SessionSignedInContext context) => OnSignedIn(context);

    /// <summary>Invokes <see cref="OnSigningOut"/>.</summary>
    public virtual Task SigningOut(SessionSigningOutContext context) => OnSigningOut(context);

    // Lets the handler skip building a context on every request when nobody listens.
    internal static bool IsDefault(SessionAuthenticationEvents events) =>
        events.GetType() == typeof(SessionAuthenticationEvents) && ReferenceEquals(events.OnValidatePrincipal, s_noValidation);
}
