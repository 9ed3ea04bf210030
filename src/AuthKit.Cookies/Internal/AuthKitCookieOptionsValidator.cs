using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthKit.Cookies.Internal;

internal sealed class AuthKitCookieOptionsValidator : IValidateOptions<AuthKitCookieOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthKitCookieOptions options)
    {
        var failures = new List<string>();
        if (options.MaxSetCookieSize is < 256 or > 8192)
        {
            failures.Add($"AuthKit:Cookies:MaxSetCookieSize is {options.MaxSetCookieSize}; set it between 256 and 8192 (browsers keep about 4096 bytes per cookie).");
        }

        if (options.DefaultSameSite == SameSiteMode.None && !options.EnforceSecure)
        {
            failures.Add("AuthKit:Cookies:DefaultSameSite is None while AuthKit:Cookies:EnforceSecure is false: the rule 'SameSite=None requires Secure' would be broken; set EnforceSecure to true or DefaultSameSite to Lax.");
        }

        if (!Enum.IsDefined(options.DefaultSameSite))
        {
            failures.Add("AuthKit:Cookies:DefaultSameSite must be Lax, Strict, None or Unspecified.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
