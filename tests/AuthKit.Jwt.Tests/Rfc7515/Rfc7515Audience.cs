namespace AuthKit.Jwt.Tests.Rfc7515;

/// <summary>
/// The RFC 7515 examples carry no <c>aud</c>. Requested from AuthKit.Jwt (notes/jwt-api.md, "Requests from evidence"): a
/// <c>RequireAudience</c> switch. Set through reflection until it exists, so the suite builds either way; the RFC tests then fail
/// with <see cref="TokenValidationError.BadAudience"/>, which is the finding.
/// </summary>
internal static class Rfc7515Audience
{
    public static bool Supported => typeof(JwtAuthenticationOptions).GetProperty("RequireAudience") is not null;

    public static void AcceptTokensWithoutAudience(JwtAuthenticationOptions options) =>
        typeof(JwtAuthenticationOptions).GetProperty("RequireAudience")?.SetValue(options, false);
}
