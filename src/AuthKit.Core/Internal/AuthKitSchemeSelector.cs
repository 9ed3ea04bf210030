using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Internal;

internal static class AuthKitSchemeSelector
{
    public static string Select(HttpContext context, AuthKitForwardingOptions forwarding)
    {
        var authorization = context.Request.Headers[HeaderNames.Authorization];
        if (authorization.Count == 1 && authorization[0] is { } value)
        {
            var span = value.AsSpan().TrimStart();
            if (forwarding.BearerScheme is not null && HasScheme(span, "Bearer"))
            {
                return forwarding.BearerScheme;
            }

            if (forwarding.BasicScheme is not null && HasScheme(span, "Basic"))
            {
                return forwarding.BasicScheme;
            }
        }

        return forwarding.DefaultScheme ?? forwarding.BasicScheme ?? forwarding.BearerScheme ?? AuthKitDefaults.NoneScheme;
    }

    private static bool HasScheme(ReadOnlySpan<char> value, string scheme) =>
        value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
        && (value.Length == scheme.Length || value[scheme.Length] == ' ');
}
