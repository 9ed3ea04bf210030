using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Reports every problem of <see cref="MemorySessionStoreOptions"/> at once.</summary>
internal sealed class MemorySessionStoreOptionsValidator : IValidateOptions<MemorySessionStoreOptions>
{
    private const string Section = AuthKitDefaults.MemoryStoreConfigurationSection;

    public ValidateOptionsResult Validate(string? name, MemorySessionStoreOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>For a store built without a host: the same rules, thrown.</summary>
    public static void ThrowIfInvalid(MemorySessionStoreOptions options)
    {
        var failures = Check(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MemorySessionStoreOptions), failures);
        }
    }

    private static List<string> Check(MemorySessionStoreOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRecords < 1)
        {
            failures.Add($"{Section}:MaxRecords (MemorySessionStoreOptions.MaxRecords) is {options.MaxRecords}; it must be at least 1 (the default is 100000).");
        }

        if (options.SweepInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:SweepInterval (MemorySessionStoreOptions.SweepInterval) is {options.SweepInterval}; it must be at least 1 second (the default is 00:01:00).");
        }

        return failures;
    }
}
