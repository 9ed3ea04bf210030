namespace AuthKit.Basic;

/// <summary>
/// Hooks into the Basic handler. Set <c>OnXxx</c> delegates, or derive and override the virtual methods (and register the type with
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>).
/// </summary>
public class BasicAuthenticationEvents
{
    /// <summary>
    /// Runs after the header is parsed and throttling is checked, before the <see cref="IBasicCredentialValidator"/>. Call
    /// <c>context.Success()</c> (with <c>context.Principal</c> set) or <c>context.Fail(...)</c> to decide here and skip the validator;
    /// do nothing to let the validator decide. A success is cached like the validator's.
    /// </summary>
    public Func<BasicValidateCredentialsContext, Task> OnValidateCredentials { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Runs when an attempt fails (malformed header, wrong credentials, throttled, plain HTTP, validator exception). Setting a result
    /// (<c>context.NoResult()</c>, <c>context.Success()</c>, <c>context.Fail(...)</c>) replaces the handler's; a validator exception is
    /// rethrown unless a result is set.
    /// </summary>
    public Func<BasicAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnValidateCredentials"/>.</summary>
    public virtual Task ValidateCredentials(BasicValidateCredentialsContext context) => OnValidateCredentials(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(BasicAuthenticationFailedContext context) => OnAuthenticationFailed(context);
}
