using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Every rule of <see cref="Pbkdf2PasswordHasherOptions"/>, reported together.</summary>
internal sealed class Pbkdf2PasswordHasherOptionsValidator : IValidateOptions<Pbkdf2PasswordHasherOptions>
{
    private const string Section = AuthKitDefaults.PasswordHasherConfigurationSection;

    public ValidateOptionsResult Validate(string? name, Pbkdf2PasswordHasherOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static List<string> Check(Pbkdf2PasswordHasherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Iterations is < Pbkdf2PasswordHasher.MinIterations or > Pbkdf2PasswordHasher.MaxIterations)
        {
            failures.Add($"{Section}:Iterations is {options.Iterations}; set it between 10,000 and 10,000,000 (600,000 is the OWASP 2023 figure).");
        }

        if (options.SaltLength is < 16 or > 64)
        {
            failures.Add($"{Section}:SaltLength is {options.SaltLength}; set it between 16 and 64 bytes.");
        }

        if (options.HashLength is < 16 or > 64)
        {
            failures.Add($"{Section}:HashLength is {options.HashLength}; set it between 16 and 64 bytes.");
        }

        return failures;
    }
}
