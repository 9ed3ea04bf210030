using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Checks <see cref="ManagedKeyRingOptions"/> at start, naming each setting to fix.</summary>
internal sealed class ManagedKeyRingOptionsValidator : IValidateOptions<ManagedKeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagedKeyRingOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        const string S = AuthKitDefaults.ManagedKeysConfigurationSection;
        if (options.RefreshInterval <= TimeSpan.Zero)
        {
            failures.Add($"{S}:RefreshInterval must be positive (default 00:05:00).");
        }

        if (options.PropagationDelay <= options.RefreshInterval)
        {
            failures.Add($"{S}:PropagationDelay ({options.PropagationDelay}) must exceed RefreshInterval ({options.RefreshInterval}), so every instance reads a new key before any signs with it (default 01:00:00 and 00:05:00).");
        }

        if (options.KeyLifetime <= options.PropagationDelay)
        {
            failures.Add($"{S}:KeyLifetime ({options.KeyLifetime}) must exceed PropagationDelay ({options.PropagationDelay}) (default 90.00:00:00).");
        }

        if (options.RetainAfterActive < TimeSpan.Zero)
        {
            failures.Add($"{S}:RetainAfterActive must not be negative (default 1.00:00:00).");
        }

        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            var text = options.KeyEncryptionKey.Trim();
            var buffer = new byte[text.Length];
            if (!Convert.TryFromBase64String(text, buffer, out var written) || written != 32)
            {
                failures.Add($"{S}:KeyEncryptionKey must be base64 of exactly 32 random bytes (for example: openssl rand -base64 32).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
