namespace AuthKit.Basic;

/// <summary>Why a Basic authentication attempt failed.</summary>
public enum BasicAuthenticationFailure
{
    /// <summary>The <c>Authorization: Basic</c> header is malformed (bad base64, no colon, control characters, too long, bad encoding): 400.</summary>
    MalformedCredentials,

    /// <summary>The validator refused the credentials: 401 with the challenge.</summary>
    InvalidCredentials,

    /// <summary>Too many recent failures for the user name or the client address: 429 with <c>Retry-After</c>.</summary>
    Throttled,

    /// <summary>The request came over plain HTTP from a non-loopback address: 403.</summary>
    InsecureTransport,

    /// <summary>The validator threw.</summary>
    ValidatorError,
}
