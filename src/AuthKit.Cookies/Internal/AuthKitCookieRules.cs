using Microsoft.AspNetCore.Http;

namespace AuthKit.Cookies.Internal;

/// <summary>The cookie rules AuthKit enforces: name prefixes, <c>SameSite=None</c>, and header size.</summary>
internal static class AuthKitCookieRules
{
    /// <summary>The prefix of a cookie bound to one host: <c>Secure</c>, <c>Path=/</c>, no <c>Domain</c>.</summary>
    public const string HostPrefix = "__Host-";

    /// <summary>The prefix of a cookie that must be <c>Secure</c>.</summary>
    public const string SecurePrefix = "__Secure-";

    /// <summary>
    /// Checks a configured cookie against the prefix rules (RFC 6265bis): a <c>__Host-</c> cookie is <c>Secure</c>, has
    /// <c>Path=/</c> and no <c>Domain</c>; a <c>__Secure-</c> cookie is <c>Secure</c>; <c>SameSite=None</c> requires <c>Secure</c>.
    /// </summary>
    /// <param name="setting">The configuration path of the cookie, named in the messages (for example <c>AuthKit:Sessions:Cookie</c>).</param>
    /// <param name="name">The cookie name.</param>
    /// <param name="alwaysSecure">Whether the cookie is always sent with <c>Secure</c>.</param>
    /// <param name="path">The cookie path (<see langword="null"/> means the default, which is not <c>/</c> for every request).</param>
    /// <param name="domain">The cookie domain.</param>
    /// <param name="sameSite">The cookie's <c>SameSite</c> mode.</param>
    /// <returns>One message per broken rule, naming the cookie, the rule and the fix; empty when the cookie is valid.</returns>
    public static IReadOnlyList<string> Validate(string setting, string? name, bool alwaysSecure, string? path, string? domain, SameSiteMode sameSite)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(name))
        {
            failures.Add($"{setting}:Name is empty; give the cookie a name.");
            return failures;
        }

        if (name.StartsWith(HostPrefix, StringComparison.Ordinal))
        {
            if (!alwaysSecure)
            {
                failures.Add($"{setting}: the cookie '{name}' breaks the {HostPrefix} rule 'must be Secure'; set {setting}:SecurePolicy to Always, or drop the prefix.");
            }

            if (!string.Equals(path, "/", StringComparison.Ordinal))
            {
                failures.Add($"{setting}: the cookie '{name}' breaks the {HostPrefix} rule 'Path must be /' (it is '{path ?? "(unset)"}'); set {setting}:Path to /, or drop the prefix.");
            }

            if (!string.IsNullOrEmpty(domain))
            {
                failures.Add($"{setting}: the cookie '{name}' breaks the {HostPrefix} rule 'no Domain' (it is '{domain}'); remove {setting}:Domain, or use the {SecurePrefix} prefix.");
            }
        }
        else if (name.StartsWith(SecurePrefix, StringComparison.Ordinal) && !alwaysSecure)
        {
            failures.Add($"{setting}: the cookie '{name}' breaks the {SecurePrefix} rule 'must be Secure'; set {setting}:SecurePolicy to Always, or drop the prefix.");
        }

        if (sameSite == SameSiteMode.None && !alwaysSecure)
        {
            failures.Add($"{setting}: the cookie '{name}' breaks the rule 'SameSite=None requires Secure'; set {setting}:SecurePolicy to Always, or use SameSite=Lax.");
        }

        return failures;
    }

    /// <summary>The name without its <c>__Host-</c> or <c>__Secure-</c> prefix (used for plain-HTTP development).</summary>
    public static string RemovePrefix(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith(HostPrefix, StringComparison.Ordinal))
        {
            return name[HostPrefix.Length..];
        }

        return name.StartsWith(SecurePrefix, StringComparison.Ordinal) ? name[SecurePrefix.Length..] : name;
    }

    /// <summary>The length in bytes of the <c>Set-Cookie</c> header the framework writes for this cookie (the value escaped as the framework escapes it).</summary>
    public static int MeasureSetCookie(string name, string? value, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        var header = options.CreateCookieHeader(name, string.IsNullOrEmpty(value) ? string.Empty : Uri.EscapeDataString(value));
        return header.ToString().Length;
    }
}
