using Microsoft.Extensions.Options;

namespace AuthKit.Basic.Internal;

/// <summary>Checks the user table at start-up, reporting every problem: names a client can send, values that are hashes rather than passwords.</summary>
internal sealed class BasicUserTableOptionsValidator(IAuthKitPasswordHasher hasher) : IValidateOptions<BasicUserTableOptions>
{
    public ValidateOptionsResult Validate(string? name, BasicUserTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (user, hash) in options.Users)
        {
            if (string.IsNullOrEmpty(user) || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
            {
                failures.Add($"AuthKit:Basic:Users has the user name '{user}', which a Basic client cannot send (empty, or with ':' or control characters). Rename it.");
            }

            if (string.IsNullOrEmpty(hash) || (hasher is Pbkdf2PasswordHasher && !hash.StartsWith("$pbkdf2-", StringComparison.Ordinal)))
            {
                failures.Add($"AuthKit:Basic:Users:{user} is not a password hash. Store the output of IAuthKitPasswordHasher.HashPassword(password), never the password itself.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
