using System.Security.Claims;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// Reads a principal as <see cref="ClaimsPrincipal.FindFirst(string)"/> and <see cref="ClaimsIdentity.IsAuthenticated"/> do, without
/// their boxed enumerators: the framework's own types keep their identities and claims in lists, walked here by index. A derived
/// type may override those members, so it is asked through them.
/// </summary>
internal static class PrincipalReader
{
    /// <summary>The first claim of <paramref name="type"/> (compared ignoring case, as the framework does), or <see langword="null"/>.</summary>
    public static Claim? FindFirst(ClaimsPrincipal principal, string type)
    {
        if (principal.GetType() != typeof(ClaimsPrincipal) || principal.Identities is not IReadOnlyList<ClaimsIdentity> identities)
        {
            return principal.FindFirst(type);
        }

        for (var i = 0; i < identities.Count; i++)
        {
            var identity = identities[i];
            if (identity.GetType() != typeof(ClaimsIdentity) || identity.Claims is not IReadOnlyList<Claim> claims)
            {
                if (identity.FindFirst(type) is { } found)
                {
                    return found;
                }

                continue;
            }

            for (var j = 0; j < claims.Count; j++)
            {
                var claim = claims[j];
                if (claim is not null && string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase))
                {
                    return claim;
                }
            }
        }

        return null;
    }

    /// <summary>Whether any of the principal's identities is authenticated.</summary>
    public static bool IsAuthenticated(ClaimsPrincipal principal)
    {
        if (principal.Identities is IReadOnlyList<ClaimsIdentity> identities)
        {
            for (var i = 0; i < identities.Count; i++)
            {
                if (identities[i].IsAuthenticated)
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var identity in principal.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return true;
            }
        }

        return false;
    }
}
