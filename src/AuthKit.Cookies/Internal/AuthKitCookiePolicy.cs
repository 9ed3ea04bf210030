using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AuthKit.Internal;

namespace AuthKit.Cookies.Internal;

/// <summary>Hooks AuthKit's rules into the framework's <see cref="CookiePolicyOptions"/>, after the app's own hooks.</summary>
/// <remarks>Whether plain HTTP may go without <c>Secure</c> is decided by <see cref="AuthKitTransportSecurity"/>, the same for every AuthKit package.</remarks>
internal sealed class AuthKitCookiePolicy(IOptions<AuthKitCookieOptions> options, ILoggerFactory loggerFactory, AuthKitTransportSecurity transport) : IPostConfigureOptions<CookiePolicyOptions>
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("AuthKit.Cookies");
    private readonly ConcurrentDictionary<string, byte> _corrected = new(StringComparer.Ordinal);

    public void PostConfigure(string? name, CookiePolicyOptions policy)
    {
        var appAppend = policy.OnAppendCookie;
        var appDelete = policy.OnDeleteCookie;
        policy.OnAppendCookie = context =>
        {
            appAppend?.Invoke(context);
            if (context.IssueCookie)
            {
                OnAppend(context);
            }
        };
        policy.OnDeleteCookie = context =>
        {
            appDelete?.Invoke(context);
            if (context.IssueCookie)
            {
                Apply(context.Context, context.CookieName, context.CookieOptions);
            }
        };
    }

    private void OnAppend(AppendCookieContext context)
    {
        var o = options.Value;
        Apply(context.Context, context.CookieName, context.CookieOptions);
        var size = AuthKitCookieRules.MeasureSetCookie(context.CookieName, context.CookieValue, context.CookieOptions);
        if (size > o.MaxSetCookieSize)
        {
            context.IssueCookie = false;
            _logger.CookieTooLarge(context.CookieName, size, o.MaxSetCookieSize, 1);
        }
    }

    private void Apply(HttpContext http, string name, CookieOptions cookie)
    {
        var o = options.Value;
        if (o.EnforceSecure && (http.Request.IsHttps || !transport.AllowsInsecure(http)))
        {
            cookie.Secure = true;
        }

        if (cookie.SameSite == SameSiteMode.Unspecified)
        {
            cookie.SameSite = o.DefaultSameSite;
        }

        if (o.EnforceHttpOnly && !IsScriptReadable(o, name))
        {
            cookie.HttpOnly = true;
        }

        if (name.StartsWith(AuthKitCookieRules.HostPrefix, StringComparison.Ordinal))
        {
            Correct(name, !cookie.Secure, "__Host- must be Secure", () => cookie.Secure = true);
            Correct(name, !string.Equals(cookie.Path, "/", StringComparison.Ordinal), "__Host- must have Path=/", () => cookie.Path = "/");
            Correct(name, !string.IsNullOrEmpty(cookie.Domain), "__Host- must have no Domain", () => cookie.Domain = null);
        }
        else if (name.StartsWith(AuthKitCookieRules.SecurePrefix, StringComparison.Ordinal))
        {
            Correct(name, !cookie.Secure, "__Secure- must be Secure", () => cookie.Secure = true);
        }

        if (cookie.SameSite == SameSiteMode.None)
        {
            Correct(name, !cookie.Secure, "SameSite=None requires Secure", () => cookie.Secure = true);
        }
    }

    private void Correct(string name, bool broken, string rule, Action fix)
    {
        if (!broken)
        {
            return;
        }

        fix();
        if (_corrected.Count < 256 && _corrected.TryAdd(name + "|" + rule, 0))
        {
            _logger.CookieCorrected(name, rule);
        }
    }

    private static bool IsScriptReadable(AuthKitCookieOptions o, string name)
    {
        foreach (var n in o.ScriptReadableCookies)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
