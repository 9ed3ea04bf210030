using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Distributed.Internal;

/// <summary>Reports every problem of <see cref="DistributedCacheSessionStoreOptions"/> at once.</summary>
internal sealed class DistributedCacheSessionStoreOptionsValidator : IValidateOptions<DistributedCacheSessionStoreOptions>
{
    private const string Section = DistributedCacheSessionStoreDefaults.ConfigurationSection;

    /// <summary>The prefix used when none is set: one per application, so apps sharing a cache keep apart.</summary>
    public static string DefaultKeyPrefix(string applicationName) => "authkit:" + applicationName + ":";

    public ValidateOptionsResult Validate(string? name, DistributedCacheSessionStoreOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>For a store built without a host: the same rules, thrown.</summary>
    public static void ThrowIfInvalid(DistributedCacheSessionStoreOptions options)
    {
        var failures = Check(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DistributedCacheSessionStoreOptions), failures);
        }
    }

    private static List<string> Check(DistributedCacheSessionStoreOptions options)
    {
        var failures = new List<string>();
        if (options.KeyPrefix is { } prefix && prefix.Any(char.IsControl))
        {
            failures.Add($"{Section}:KeyPrefix (DistributedCacheSessionStoreOptions.KeyPrefix) contains a control character; use printable characters only, or leave it unset for authkit:{{ApplicationName}}:.");
        }

        if (options.OperationTimeout < TimeSpan.FromMilliseconds(1) || options.OperationTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:OperationTimeout (DistributedCacheSessionStoreOptions.OperationTimeout) is {options.OperationTimeout}; it must be between 1 millisecond and 5 minutes (the default is 00:00:05).");
        }

        return failures;
    }
}
