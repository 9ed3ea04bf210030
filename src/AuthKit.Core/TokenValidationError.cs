namespace AuthKit;

/// <summary>Why a token was refused. Stable codes: callers may switch on them.</summary>
public enum TokenValidationError
{
    /// <summary>No error: the token is valid.</summary>
    None = 0,

    /// <summary>Not a well-formed compact JWS/JWT (bad base64url, bad JSON, duplicate members, too large, forbidden header).</summary>
    Malformed,

    /// <summary>The signature does not verify.</summary>
    BadSignature,

    /// <summary>No key with the token's <c>kid</c>.</summary>
    UnknownKey,

    /// <summary>The header's <c>alg</c> is not the algorithm bound to the key (or is <c>none</c>).</summary>
    AlgorithmNotAllowed,

    /// <summary>The <c>typ</c> header is not the expected one (<c>at+jwt</c> for access tokens).</summary>
    BadType,

    /// <summary>The token has expired (<c>exp</c>, beyond the clock skew).</summary>
    Expired,

    /// <summary>The token is not valid yet (<c>nbf</c>, beyond the clock skew).</summary>
    NotYetValid,

    /// <summary>The issuer (<c>iss</c>) is not accepted.</summary>
    BadIssuer,

    /// <summary>The audience (<c>aud</c>) is not accepted.</summary>
    BadAudience,

    /// <summary>The token was revoked (its <c>jti</c> is denied).</summary>
    Revoked,
}
