using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Internal;

/// <summary>
/// Picks the scheme the <c>AuthKit</c> policy scheme forwards a request to: <c>Authorization: Bearer</c> → the Bearer scheme;
/// <c>Authorization: Basic</c> → the Basic scheme only where it cannot take over a signed-in browser (no session scheme, or an
/// endpoint that asks for Basic); everything else → the session scheme.
/// </summary>
/// <remarks>
/// Browsers remember Basic credentials and send them with every later request to the site. Were Basic chosen by the header
/// alone, answering one Basic prompt (an admin area) would make every page speak for the Basic user instead of the signed-in
/// one. So with a session scheme, Basic applies only to endpoints whose authorization metadata names the Basic scheme.
/// </remarks>
internal static class AuthKitSchemeSelector
{
    public static string Select(HttpContext context, AuthKitForwardingOptions forwarding, AuthorizationOptions? authorization = null)
    {
        if (forwarding.BearerScheme is not null && Carries(context, "Bearer"))
        {
            return forwarding.BearerScheme;
        }

        if (forwarding.BasicScheme is { } basic && Carries(context, "Basic")
            && (forwarding.DefaultScheme is null || EndpointAsksFor(context.GetEndpoint(), basic, authorization)))
        {
            return basic;
        }

        return forwarding.DefaultScheme ?? forwarding.BasicScheme ?? forwarding.BearerScheme ?? AuthKitDefaults.NoneScheme;
    }

    /// <summary>Whether the request carries one <c>Authorization</c> header of <paramref name="scheme"/> (case-insensitive).</summary>
    internal static bool Carries(HttpContext context, string scheme)
    {
        var header = context.Request.Headers[HeaderNames.Authorization];
        return header.Count == 1 && header[0] is { } value && HasScheme(value.AsSpan().TrimStart(), scheme);
    }

    /// <summary>
    /// Whether the endpoint's authorization names <paramref name="scheme"/>: <c>[Authorize(AuthenticationSchemes = ...)]</c>,
    /// <c>RequireAuthorization(policy)</c> with the scheme, or a named policy (or the default policy) that lists it.
    /// </summary>
    internal static bool EndpointAsksFor(Endpoint? endpoint, string scheme, AuthorizationOptions? authorization)
    {
        if (endpoint is null)
        {
            return false;
        }

        var metadata = endpoint.Metadata;
        foreach (var policy in metadata.GetOrderedMetadata<AuthorizationPolicy>())
        {
            if (Lists(policy.AuthenticationSchemes, scheme))
            {
                return true;
            }
        }

        foreach (var data in metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            if (Names(data.AuthenticationSchemes, scheme))
            {
                return true;
            }

            var named = data.Policy is { Length: > 0 } name ? authorization?.GetPolicy(name) : authorization?.DefaultPolicy;
            if (named is not null && Lists(named.AuthenticationSchemes, scheme))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Lists(IReadOnlyList<string> schemes, string scheme)
    {
        foreach (var s in schemes)
        {
            if (string.Equals(s, scheme, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Names(string? commaSeparated, string scheme)
    {
        if (string.IsNullOrEmpty(commaSeparated))
        {
            return false;
        }

        foreach (var range in commaSeparated.AsSpan().Split(','))
        {
            if (commaSeparated.AsSpan()[range].Trim().SequenceEqual(scheme))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasScheme(ReadOnlySpan<char> value, string scheme) =>
        value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
        && (value.Length == scheme.Length || value[scheme.Length] == ' ');
}
