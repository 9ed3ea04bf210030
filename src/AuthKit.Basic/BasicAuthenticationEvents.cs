namespace AuthKit.Basic;

/// <summary>
/// Hooks into the Basic handler. Set <c>OnXxx</c> delegates, or derive and override the virtual methods (and register the type with
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>).
/// </summary>
public class BasicAuthenticationEvents
{
    /// <summary>
    /// Runs after the header is parsed and the <see cref="ICredentialThrottle"/> has reserved an attempt, before the
    /// <see cref="IBasicCredentialValidator"/>. Call <c>context.Success()</c> (with <c>context.Principal</c> set) or
    /// <c>context.Fail(...)</c> to decide here and skip the validator; do nothing to let the validator decide. A success is cached
    /// like the validator's, and both count for the throttle like the validator's.
    /// </summary>
    public Func<BasicValidateCredentialsContext, Task> OnValidateCredentials { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Runs when an attempt fails (malformed header, wrong credentials, throttled, plain HTTP, validator exception). Setting a result
    /// (<c>context.NoResult()</c>, <c>context.Success()</c>, <c>context.Fail(...)</c>) replaces the handler's; a validator exception is
    /// rethrown unless a result is set.
    /// </summary>
    public Func<BasicAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Runs before the handler answers a challenge (401 with <c>WWW-Authenticate</c>, 400, 429 with <c>Retry-After</c>, 403 over plain
    /// HTTP, 503). Call <c>context.HandleResponse()</c> after writing your own response to skip the default one.
    /// </summary>
    public Func<BasicChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Runs before the handler answers a forbidden request (403: authenticated, but not allowed). Call <c>context.HandleResponse()</c>
    /// after writing your own response to skip the default one.
    /// </summary>
    public Func<BasicForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnValidateCredentials"/>.</summary>
    public virtual Task ValidateCredentials(BasicValidateCredentialsContext context) => OnValidateCredentials(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(BasicAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(BasicChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(BasicForbiddenContext context) => OnForbidden(context);
}
