using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.File.Internal;

/// <summary>Checks at start-up that the session directory can be created and written, so a bad path never fails the first request.</summary>
internal sealed class FileSessionStoreOptionsValidator : IValidateOptions<FileSessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, FileSessionStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Fail("AuthKit:FileStore:Directory (FileSessionStoreOptions.Directory) is empty. Set it to a directory the app's user can write.");
        }

        string path;
        try
        {
            path = Path.GetFullPath(options.Directory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ValidateOptionsResult.Fail($"AuthKit:FileStore:Directory (FileSessionStoreOptions.Directory) '{options.Directory}' is not a valid path: {ex.Message}");
        }

        try
        {
            FileStoreLayout.Probe(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return ValidateOptionsResult.Fail(
                $"The file session store cannot use the directory '{path}': {ex.Message} " +
                "Create it and give the app's user read and write access to it, or point AuthKit:FileStore:Directory " +
                "(FileSessionStoreOptions.Directory) at a writable directory.");
        }

        return ValidateOptionsResult.Success;
    }
}
