using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Basic;

/// <summary>The context of <see cref="BasicAuthenticationEvents.OnAuthenticationFailed"/>.</summary>
public sealed class BasicAuthenticationFailedContext : ResultContext<BasicAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public BasicAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, BasicAuthenticationOptions options, BasicAuthenticationFailure failure)
        : base(context, scheme, options)
    {
        Failure = failure;
    }

    /// <summary>Why the attempt failed.</summary>
    public BasicAuthenticationFailure Failure { get; }

    /// <summary>The user-id the client sent, when the header could be read.</summary>
    public string? UserName { get; init; }

    /// <summary>When <see cref="Failure"/> is <see cref="BasicAuthenticationFailure.Throttled"/>: how long until the client may try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>When <see cref="Failure"/> is <see cref="BasicAuthenticationFailure.Throttled"/>: which limit of the throttle refused the attempt.</summary>
    public CredentialThrottleLimit ThrottleLimit { get; init; }

    /// <summary>When <see cref="Failure"/> is <see cref="BasicAuthenticationFailure.ValidatorError"/> or <see cref="BasicAuthenticationFailure.ThrottleUnavailable"/>: what was thrown.</summary>
    public Exception? Exception { get; init; }
}
