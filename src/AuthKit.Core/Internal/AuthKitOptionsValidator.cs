using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

internal sealed class AuthKitOptionsValidator : IValidateOptions<AuthKitOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthKitOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApplicationName) || options.ApplicationName.Length > 200
            || options.ApplicationName.Any(c => char.IsControl(c) || c is '{' or '}' or '/' or '\\'))
        {
            failures.Add("AuthKit:ApplicationName must be 1 to 200 printable characters without '{', '}', '/' or '\\' (it names the key folder and prefixes store keys); leave it unset to use the host's application name.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            if (!AuthKitKey.IsValidKeyId(key.KeyId))
            {
                failures.Add($"AuthKit:Keys:{i}:KeyId must be 1 to 64 letters, digits, '.', '_' or '-'.");
            }
            else if (!ids.Add(key.KeyId))
            {
                failures.Add($"AuthKit:Keys:{i}:KeyId '{key.KeyId}' appears twice; give each key its own ID.");
            }

            if (!KeyRingFactory.IsValidSecret(key.Secret))
            {
                failures.Add($"AuthKit:Keys:{i}:Secret must be base64 of at least {AuthKitKey.MinimumSecretLength} random bytes (for example: openssl rand -base64 32).");
            }
        }

        if (options.ActiveKeyId is not null && options.Keys.Count > 0 && !ids.Contains(options.ActiveKeyId))
        {
            failures.Add($"AuthKit:ActiveKeyId '{options.ActiveKeyId}' names no key in AuthKit:Keys; set it to one of their KeyId values or remove it.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
