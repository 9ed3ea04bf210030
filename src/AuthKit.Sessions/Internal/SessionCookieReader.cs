using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// Reads the session cookie from the raw <c>Cookie</c> headers by exact, case-sensitive name, and counts it. The framework's
/// request-cookie collection matches names case-insensitively and keeps the last of duplicates, which lets a cookie set by a
/// sibling subdomain or a path (cookie tossing) stand in for the real one.
/// </summary>
internal static class SessionCookieReader
{
    /// <summary>Finds the cookie; its value is a slice of the request's <c>Cookie</c> header (no allocation), empty when absent.</summary>
    public static SessionCookieLookup Find(HttpRequest request, string name, out ReadOnlySpan<char> value)
    {
        value = default;
        var headers = request.Headers.Cookie;
        var found = 0;
        foreach (var header in headers)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            var rest = header.AsSpan();
            while (!rest.IsEmpty)
            {
                // Pairs are separated by ';' (browsers) and, in the framework's parser, also by ','.
                var end = rest.IndexOfAny(';', ',');
                var pair = (end < 0 ? rest : rest[..end]).Trim();
                rest = end < 0 ? [] : rest[(end + 1)..];
                var eq = pair.IndexOf('=');
                if (eq <= 0 || !pair[..eq].TrimEnd().SequenceEqual(name))
                {
                    continue;
                }

                if (++found > 1)
                {
                    value = default;
                    return SessionCookieLookup.Duplicated;
                }

                // Verbatim: AuthKit never quotes or escapes the value, so anything else is refused (and logged) by the signature check.
                value = pair[(eq + 1)..].TrimStart();
            }
        }

        return found == 0 ? SessionCookieLookup.None : SessionCookieLookup.Once;
    }

    /// <summary>Whether the request carries the cookie at all (once or more), without allocating.</summary>
    public static bool Carries(HttpRequest request, string name)
    {
        StringValues headers = request.Headers.Cookie;
        foreach (var header in headers)
        {
            if (!string.IsNullOrEmpty(header) && header.Contains(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
