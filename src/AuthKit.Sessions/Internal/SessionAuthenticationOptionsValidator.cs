using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using AuthKit.Cookies;

namespace AuthKit.Sessions.Internal;

internal sealed class SessionAuthenticationOptionsValidator : IValidateOptions<SessionAuthenticationOptions>
{
    private const string Section = SessionAuthenticationDefaults.ConfigurationSection;

    public ValidateOptionsResult Validate(string? name, SessionAuthenticationOptions options)
    {
        if (!string.Equals(name, SessionAuthenticationDefaults.AuthenticationScheme, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        var cookie = options.Cookie;
        if (cookie is null)
        {
            return ValidateOptionsResult.Fail($"{Section}:Cookie must not be null.");
        }

        failures.AddRange(AuthKitCookieRules.Validate($"{Section}:Cookie", cookie.Name, cookie.SecurePolicy == CookieSecurePolicy.Always, cookie.Path, cookie.Domain, cookie.SameSite));
        if (!cookie.HttpOnly)
        {
            failures.Add($"{Section}:Cookie:HttpOnly is false; the session cookie must stay HttpOnly so script (and an XSS) can never read the session ID. Remove the setting.");
        }

        if (cookie.Expiration is not null || cookie.MaxAge is not null)
        {
            failures.Add($"{Section}:Cookie:Expiration and MaxAge are not used by sessions: their lifetime is {Section}:IdleTimeout and {Section}:AbsoluteTimeout (a sign-in with IsPersistent sets the cookie's expiry). Remove them.");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:IdleTimeout must be positive (for example 00:20:00).");
        }

        if (options.AbsoluteTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:AbsoluteTimeout must be positive (for example 08:00:00).");
        }
        else if (options.IdleTimeout > options.AbsoluteTimeout)
        {
            failures.Add($"{Section}:IdleTimeout ({options.IdleTimeout}) is longer than {Section}:AbsoluteTimeout ({options.AbsoluteTimeout}); make it shorter or equal.");
        }

        if (options.SlidingRefreshInterval < TimeSpan.Zero || (options.IdleTimeout > TimeSpan.Zero && options.SlidingRefreshInterval >= options.IdleTimeout))
        {
            failures.Add($"{Section}:SlidingRefreshInterval ({options.SlidingRefreshInterval}) must be at least zero and shorter than {Section}:IdleTimeout ({options.IdleTimeout}); a tenth of it is a good value.");
        }

        if (options.StoreTimeout <= TimeSpan.Zero || options.StoreTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Section}:StoreTimeout ({options.StoreTimeout}) must be between 0 and 1 minute (default 00:00:02): a request must never wait long on a store that is down.");
        }

        if (options.StoreErrorLogInterval < TimeSpan.Zero)
        {
            failures.Add($"{Section}:StoreErrorLogInterval must not be negative.");
        }

        if (options.MaxDataSize <= 0)
        {
            failures.Add($"{Section}:MaxDataSize must be positive (default 65536).");
        }

        if (string.IsNullOrEmpty(options.UserIdClaimType))
        {
            failures.Add($"{Section}:UserIdClaimType must name a claim type (default {System.Security.Claims.ClaimTypes.NameIdentifier}).");
        }

        if (options.LoginPath.HasValue && !options.LoginPath.Value!.StartsWith('/'))
        {
            failures.Add($"{Section}:LoginPath must start with '/'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
