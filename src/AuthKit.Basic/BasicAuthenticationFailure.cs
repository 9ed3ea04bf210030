namespace AuthKit.Basic;

/// <summary>Why a Basic authentication attempt failed.</summary>
public enum BasicAuthenticationFailure
{
    /// <summary>No failure: no Basic credentials were sent, or they were accepted. A challenge answers 401 with <c>WWW-Authenticate</c>.</summary>
    None = 0,

    /// <summary>The <c>Authorization: Basic</c> header is malformed (bad base64, no colon, control characters, too long, bad encoding): 400.</summary>
    MalformedCredentials = 1,

    /// <summary>The validator refused the credentials: 401 with the challenge.</summary>
    InvalidCredentials = 2,

    /// <summary>The <see cref="ICredentialThrottle"/> refused the attempt (user name or client address): 429 with <c>Retry-After</c>.</summary>
    Throttled = 3,

    /// <summary>The request came over plain HTTP, outside Development on loopback and without <see cref="AuthKitOptions.AllowInsecureHttp"/>: 403.</summary>
    InsecureTransport = 4,

    /// <summary>The validator threw.</summary>
    ValidatorError = 5,

    /// <summary>The credential throttle's shared store failed, so the attempt could not be counted: 503 with <c>Retry-After</c>.</summary>
    ThrottleUnavailable = 6,
}
