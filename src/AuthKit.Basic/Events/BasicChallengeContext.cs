using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Basic;

/// <summary>The context of <see cref="BasicAuthenticationEvents.OnChallenge"/>.</summary>
public sealed class BasicChallengeContext : PropertiesContext<BasicAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public BasicChallengeContext(HttpContext context, AuthenticationScheme scheme, BasicAuthenticationOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>Why authentication failed; <see cref="BasicAuthenticationFailure.None"/> when no Basic credentials were sent.</summary>
    public BasicAuthenticationFailure Failure { get; init; }

    /// <summary>The failure of the authentication attempt, if any.</summary>
    public Exception? AuthenticateFailure { get; init; }

    /// <summary>When throttled (or the throttle is unavailable): how long until the client may try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the response was written by the event and the handler's default is skipped.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's default response (write your own first).</summary>
    public void HandleResponse() => Handled = true;
}
