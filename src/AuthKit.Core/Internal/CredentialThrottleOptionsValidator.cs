using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Every rule of <see cref="CredentialThrottleOptions"/>, reported together.</summary>
internal sealed class CredentialThrottleOptionsValidator : IValidateOptions<CredentialThrottleOptions>
{
    private const string Section = AuthKitDefaults.CredentialThrottleConfigurationSection;

    public ValidateOptionsResult Validate(string? name, CredentialThrottleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(1))
        {
            failures.Add($"{Section}:Window is {options.Window}; set it between 00:00:01 and 1.00:00:00.");
        }

        Range(failures, nameof(options.MaxFailuresPerUser), options.MaxFailuresPerUser, 0, 1000);
        Range(failures, nameof(options.MaxFailuresPerClient), options.MaxFailuresPerClient, 0, 10_000);
        Range(failures, nameof(options.MaxFailuresPerKnownClient), options.MaxFailuresPerKnownClient, 0, 1000);
        Range(failures, nameof(options.MaxConcurrentPerUser), options.MaxConcurrentPerUser, 0, 1000);
        Range(failures, nameof(options.MaxConcurrentPerClient), options.MaxConcurrentPerClient, 0, 1000);
        Range(failures, nameof(options.MaxKnownClientsPerUser), options.MaxKnownClientsPerUser, 1, 256);
        Range(failures, nameof(options.MaxTrackedEntries), options.MaxTrackedEntries, 100, 10_000_000);
        if (options.KnownClientLifetime < TimeSpan.Zero || options.KnownClientLifetime > TimeSpan.FromDays(400))
        {
            failures.Add($"{Section}:KnownClientLifetime is {options.KnownClientLifetime}; set it between 00:00:00 (off) and 400.00:00:00.");
        }

        if (!Enum.IsDefined(options.Storage))
        {
            failures.Add($"{Section}:Storage is {(int)options.Storage}; set it to Automatic, Memory or SessionStore.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add(FormattableString.Invariant($"{Section}:{setting} is {value}; set it between {min} and {max}{(min == 0 ? " (0 turns the limit off)" : "")}."));
        }
    }
}
