using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Gives <see cref="AuthKitOptions.ApplicationName"/> the host's application name when neither configuration nor code set one.</summary>
internal sealed class AuthKitOptionsPostConfigure(IHostEnvironment? environment) : IPostConfigureOptions<AuthKitOptions>
{
    public void PostConfigure(string? name, AuthKitOptions options)
    {
        if (!options.HasApplicationName && !string.IsNullOrWhiteSpace(environment?.ApplicationName))
        {
            options.ApplicationName = environment.ApplicationName;
        }
    }
}
