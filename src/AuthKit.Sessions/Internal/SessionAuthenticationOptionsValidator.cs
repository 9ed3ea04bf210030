using AuthKit.Cookies.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Internal;

/// <summary>Every rule of <see cref="SessionAuthenticationOptions"/>, single fields and contradictions alike, reported all at once.</summary>
internal sealed class SessionAuthenticationOptionsValidator(SessionSchemeMarker scheme) : IValidateOptions<SessionAuthenticationOptions>
{
    private const string Section = SessionAuthenticationDefaults.ConfigurationSection;

    public ValidateOptionsResult Validate(string? name, SessionAuthenticationOptions options)
    {
        if (!string.Equals(name, scheme.Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (options.Cookie is not { } cookie)
        {
            failures.Add($"{Section}:Cookie must not be null; remove the code that clears it.");
        }
        else
        {
            failures.AddRange(AuthKitCookieRules.Validate($"{Section}:Cookie", cookie.Name, cookie.SecurePolicy == CookieSecurePolicy.Always, cookie.Path, cookie.Domain, cookie.SameSite));
            if (!cookie.HttpOnly)
            {
                failures.Add($"{Section}:Cookie:HttpOnly is false; the session cookie must stay HttpOnly so script (and an XSS) can never read the session ID. Remove the setting.");
            }

            if (cookie.Expiration is not null || cookie.MaxAge is not null)
            {
                failures.Add($"{Section}:Cookie:Expiration and MaxAge are not used by sessions: their lifetime is {Section}:IdleTimeout and {Section}:AbsoluteTimeout (a sign-in with IsPersistent sets the cookie's expiry). Remove them.");
            }
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
            failures.Add($"{Section}:IdleTimeout ({options.IdleTimeout}) is longer than {Section}:AbsoluteTimeout ({options.AbsoluteTimeout}): a session would end before it could ever be idle that long. Make IdleTimeout shorter or equal.");
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

        if (options.MaxSessionsPerUser < 1)
        {
            failures.Add($"{Section}:MaxSessionsPerUser ({options.MaxSessionsPerUser}) must be at least 1 (default 32): it bounds how many sessions one user can keep in the store.");
        }

        if (string.IsNullOrEmpty(options.UserIdClaimType))
        {
            failures.Add($"{Section}:UserIdClaimType must name a claim type (default {System.Security.Claims.ClaimTypes.NameIdentifier}).");
        }

        if (options.LoginPath.HasValue && !options.LoginPath.Value!.StartsWith('/'))
        {
            failures.Add($"{Section}:LoginPath must start with '/'.");
        }

        if (options.AccessDeniedPath.HasValue && !options.AccessDeniedPath.Value!.StartsWith('/'))
        {
            failures.Add($"{Section}:AccessDeniedPath must start with '/'.");
        }

        if ((options.LoginPath.HasValue || options.AccessDeniedPath.HasValue) && string.IsNullOrEmpty(options.ReturnUrlParameter))
        {
            failures.Add($"{Section}:ReturnUrlParameter is empty while {Section}:LoginPath or AccessDeniedPath is set; name the query parameter that carries the original URL (default ReturnUrl).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
