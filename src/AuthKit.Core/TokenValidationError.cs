namespace AuthKit;

/// <summary>Why a token was refused. Stable codes: callers may switch on them.</summary>
public enum TokenValidationError
{
    /// <summary>No error: the token is valid.</summary>
    None = 0,

    /// <summary>Not a well-formed compact JWS/JWT (bad base64url, bad JSON, duplicate members, too large, forbidden header).</summary>
    Malformed = 1,

    /// <summary>The signature does not verify.</summary>
    BadSignature = 2,

    /// <summary>No key with the token's <c>kid</c>.</summary>
    UnknownKey = 3,

    /// <summary>The header's <c>alg</c> is not the algorithm bound to the key (or is <c>none</c>).</summary>
    AlgorithmNotAllowed = 4,

    /// <summary>The <c>typ</c> header is not the expected one (<c>at+jwt</c> for access tokens).</summary>
    BadType = 5,

    /// <summary>The token has expired (<c>exp</c>, beyond the clock skew).</summary>
    Expired = 6,

    /// <summary>The token is not valid yet (<c>nbf</c>, beyond the clock skew).</summary>
    NotYetValid = 7,

    /// <summary>The issuer (<c>iss</c>) is not accepted.</summary>
    BadIssuer = 8,

    /// <summary>The audience (<c>aud</c>) is not accepted.</summary>
    BadAudience = 9,

    /// <summary>The token was revoked: its <c>jti</c> is denied, or it was issued before its user's not-before stamp (<see cref="ITokenService.RevokeAllAccessTokensAsync"/>).</summary>
    Revoked = 10,
}
