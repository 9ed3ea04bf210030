using System.Globalization;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Internal;

/// <summary>Every rule of <see cref="BasicAuthenticationOptions"/>, reported together at start-up.</summary>
internal sealed class BasicAuthenticationOptionsValidator : IValidateOptions<BasicAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, BasicAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ValidatorType is null)
        {
            // Options of a name nobody called AddBasic for: nothing to check.
            return ValidateOptionsResult.Skip;
        }

        var section = BasicAuthenticationDefaults.ConfigurationSectionFor(name);
        var failures = new List<string>();
        if (!BasicAuthenticationOptions.IsValidRealm(options.Realm))
        {
            failures.Add($"{section}:Realm must be 1 to 128 printable ASCII characters without '\"' or '\\'.");
        }

        if (options.MaxHeaderLength is < 16 or > 65536)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:MaxHeaderLength is {options.MaxHeaderLength}; set it between 16 and 65536."));
        }

        if (options.CredentialCacheLifetime < TimeSpan.Zero || options.CredentialCacheLifetime > TimeSpan.FromHours(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:CredentialCacheLifetime is {options.CredentialCacheLifetime}; set it between 00:00:00 (no cache) and 01:00:00."));
        }

        if (options.CredentialCacheSize is < 1 or > 1_000_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:CredentialCacheSize is {options.CredentialCacheSize}; set it between 1 and 1000000."));
        }

        if (options.Events is null)
        {
            failures.Add($"{section}: Events of scheme '{name}' is null. Leave the default, or set a BasicAuthenticationEvents instance.");
        }

        if (options.EventsType is { } eventsType && !typeof(BasicAuthenticationEvents).IsAssignableFrom(eventsType))
        {
            failures.Add($"{section}: EventsType '{eventsType}' of scheme '{name}' does not derive from BasicAuthenticationEvents. Derive it from BasicAuthenticationEvents, or set Events instead.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
