namespace AuthKit.Jwt;

/// <summary>The JWT bearer scheme's events, as in the framework's JwtBearer: set the delegates, or derive and override the methods.</summary>
public class JwtAuthenticationEvents
{
    /// <summary>Raised first: may supply the token (<see cref="JwtMessageReceivedContext.Token"/>) or decide the result.</summary>
    public Func<JwtMessageReceivedContext, Task> OnMessageReceived { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Raised after a token validated.</summary>
    public Func<JwtTokenValidatedContext, Task> OnTokenValidated { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Raised after a token was refused.</summary>
    public Func<JwtAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Raised before the 401/400 challenge is written.</summary>
    public Func<JwtChallengeContext, Task> OnChallenge { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Raised before the 403 response is written.</summary>
    public Func<JwtForbiddenContext, Task> OnForbidden { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    public virtual Task MessageReceived(JwtMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidated(JwtTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(JwtAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(JwtChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(JwtForbiddenContext context) => OnForbidden(context);
}
