using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// The refresh-token format: <c>{family}.{secret}</c>, two 256-bit random values in base64url (87 characters; 92 when the family ID
/// carries the user's slot tag, <c>{random}.{tag}</c>, which keeps the family beside the user's index on a Redis Cluster). The family
/// part finds the family's record (filed under its digest); the secret proves which token of the family this is (the record holds the
/// current secret's digest).
/// </summary>
internal static class JwtRefreshToken
{
    public const int Length = (SessionIds.CharLength * 2) + 1;

    public const int TaggedLength = SessionIds.TaggedCharLength + 1 + SessionIds.CharLength;

    public static string Format(string familyId, string secret) => string.Concat(familyId, ".", secret);

    public static bool IsWellFormed(string? token) => TryParse(token, out _, out _);

    public static bool TryParse([NotNullWhen(true)] string? token, [NotNullWhen(true)] out string? familyId, [NotNullWhen(true)] out string? secret)
    {
        familyId = null;
        secret = null;
        if (token is null || (token.Length != Length && token.Length != TaggedLength))
        {
            return false;
        }

        var separator = token.Length - SessionIds.CharLength - 1;
        var span = token.AsSpan();
        if (token[separator] != '.' || !SessionIds.IsWellFormed(span[..separator]) || !SessionIds.IsWellFormed(span[(separator + 1)..]))
        {
            return false;
        }

        familyId = token[..separator];
        secret = token[(separator + 1)..];
        return true;
    }
}
