using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.File.Internal;

/// <summary>
/// Reports every problem of <see cref="FileSessionStoreOptions"/> at once, and checks at start-up that the session directory
/// can be created and written, so a bad path never fails the first request.
/// </summary>
internal sealed class FileSessionStoreOptionsValidator : IValidateOptions<FileSessionStoreOptions>
{
    private const string Section = FileSessionStoreDefaults.ConfigurationSection;

    public ValidateOptionsResult Validate(string? name, FileSessionStoreOptions options)
    {
        var failures = Check(options);
        if (failures.Count == 0)
        {
            var path = Path.GetFullPath(options.Directory!);
            try
            {
                FileStoreLayout.Probe(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                failures.Add(
                    $"The file session store cannot use the directory '{path}': {ex.Message} " +
                    $"Create it and give the app's user read and write access to it, or point {Section}:Directory " +
                    "(FileSessionStoreOptions.Directory) at a writable directory.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>For a store built without a host: the rules that need no disk access, thrown.</summary>
    public static void ThrowIfInvalid(FileSessionStoreOptions options)
    {
        var failures = Check(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(FileSessionStoreOptions), failures);
        }
    }

    private static List<string> Check(FileSessionStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add($"{Section}:Directory (FileSessionStoreOptions.Directory) is empty. Set it to a directory the app's user can write.");
        }
        else
        {
            try
            {
                Path.GetFullPath(options.Directory);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                failures.Add($"{Section}:Directory (FileSessionStoreOptions.Directory) '{options.Directory}' is not a valid path: {ex.Message}");
            }
        }

        if (options.SweepInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:SweepInterval (FileSessionStoreOptions.SweepInterval) is {options.SweepInterval}; it must be at least 1 second (the default is 00:01:00).");
        }

        if (options.LockTimeout < TimeSpan.FromMilliseconds(1) || options.LockTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:LockTimeout (FileSessionStoreOptions.LockTimeout) is {options.LockTimeout}; it must be between 1 millisecond and 5 minutes (the default is 00:00:05).");
        }

        return failures;
    }
}
