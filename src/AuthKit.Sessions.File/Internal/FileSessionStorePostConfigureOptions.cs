using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.File.Internal;

/// <summary>Fills in the default directory from the application's name.</summary>
internal sealed class FileSessionStorePostConfigureOptions(IOptions<AuthKitOptions> authKit) : IPostConfigureOptions<FileSessionStoreOptions>
{
    public void PostConfigure(string? name, FileSessionStoreOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            return;
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.GetTempPath();
        }

        options.Directory = Path.Combine(root, "AuthKit", authKit.Value.ApplicationName, "sessions");
    }
}
