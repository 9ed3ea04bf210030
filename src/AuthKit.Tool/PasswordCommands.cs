using System.CommandLine;
using AuthKit.Basic;
using Microsoft.Extensions.Options;

namespace AuthKit.Tool;

/// <summary><c>authkit password hash</c> and <c>authkit password verify</c>, with AuthKit's own <see cref="Pbkdf2PasswordHasher"/>.</summary>
internal static class PasswordCommands
{
    public static Command Create()
    {
        var iterations = new Option<int?>("--iterations")
        {
            Description = $"PBKDF2 iterations ({new Pbkdf2PasswordHasherOptions().Iterations:N0} by default, AuthKit:PasswordHasher:Iterations); between {Pbkdf2PasswordHasher.MinIterations:N0} and {Pbkdf2PasswordHasher.MaxIterations:N0}.",
        };
        var user = new Option<string>("--user")
        {
            Description = "Also print the hash as the Basic user table entry of this user name (AuthKit:Basic:Users:<name>), in JSON and environment form.",
        };
        var hash = new Command("hash", "Reads a password from standard input (typed twice without echo on a terminal, or piped) and prints its PBKDF2 hash string ($pbkdf2-sha256$i=…$salt$hash) on standard output.")
        {
            iterations, user,
        };
        hash.SetAction(async (parse, cancellationToken) =>
        {
            var options = new Pbkdf2PasswordHasherOptions();
            if (parse.GetValue(iterations) is { } count)
            {
                if (count < Pbkdf2PasswordHasher.MinIterations || count > Pbkdf2PasswordHasher.MaxIterations)
                {
                    throw ToolException.Usage($"--iterations {count} is out of range: give {Pbkdf2PasswordHasher.MinIterations:N0} to {Pbkdf2PasswordHasher.MaxIterations:N0} (the default, {options.Iterations:N0}, is OWASP's figure for PBKDF2-HMAC-SHA256).");
                }

                options.Iterations = count;
            }

            var userName = parse.GetValue(user);
            if (userName is not null && (userName.Length == 0 || userName.Contains(':', StringComparison.Ordinal) || userName.Any(char.IsControl)))
            {
                throw ToolException.Usage($"--user '{userName}' cannot be a Basic user name: it must be non-empty, without ':' or control characters (RFC 7617).");
            }

            var password = await SecretInput.ReadAsync("Password: ", cancellationToken).ConfigureAwait(false);
            if (password.Length == 0)
            {
                throw ToolException.Usage("the password is empty. Type it when asked, or pipe it: printf '%s' \"$PASSWORD\" | authkit password hash");
            }

            if (SecretInput.IsInteractive)
            {
                var again = await SecretInput.ReadAsync("Again: ", cancellationToken).ConfigureAwait(false);
                if (!string.Equals(password, again, StringComparison.Ordinal))
                {
                    await Console.Error.WriteLineAsync("authkit: the two passwords differ; nothing was hashed. Run the command again.").ConfigureAwait(false);
                    return ExitCodes.Refused;
                }
            }

            var hashed = new Pbkdf2PasswordHasher(options).HashPassword(password);
            await Console.Out.WriteLineAsync(hashed).ConfigureAwait(false);
            if (userName is not null)
            {
                List<KeyValuePair<string, string>> settings = [new($"{BasicAuthenticationDefaults.ConfigurationSection}:{nameof(BasicUserTableOptions.Users)}:{userName}", hashed)];
                await Console.Out.WriteLineAsync().ConfigureAwait(false);
                await Console.Out.WriteLineAsync(ConfigurationWriter.ToJson(settings)).ConfigureAwait(false);
                await Console.Out.WriteLineAsync().ConfigureAwait(false);
                await Console.Out.WriteAsync(ConfigurationWriter.ToEnvironment(settings)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var hashArgument = new Argument<string>("hash") { Description = "The hash string to check against ($pbkdf2-sha256$i=…$salt$hash)." };
        var verify = new Command("verify", "Reads a password from standard input (without echo on a terminal, or piped) and checks it against a hash. Exit code 0: it matches; 1: it does not.")
        {
            hashArgument,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var hashed = parse.GetValue(hashArgument)!;
            if (!hashed.StartsWith("$pbkdf2-", StringComparison.Ordinal))
            {
                throw ToolException.Usage("the hash is not an AuthKit PBKDF2 hash string (it starts with $pbkdf2-sha256$). Quote it in single quotes so the shell leaves the $ signs alone.");
            }

            var password = await SecretInput.ReadAsync("Password: ", cancellationToken).ConfigureAwait(false);
            var hasher = new Pbkdf2PasswordHasher(Options.Create(new Pbkdf2PasswordHasherOptions()));
            var outcome = hasher.VerifyPassword(hashed, password);
            if (outcome == PasswordVerificationOutcome.Failed)
            {
                await Console.Out.WriteLineAsync("no match").ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            await Console.Out.WriteLineAsync("match").ConfigureAwait(false);
            if (outcome == PasswordVerificationOutcome.SuccessRehashNeeded)
            {
                await Console.Error.WriteLineAsync("The hash uses weaker parameters than today's defaults: re-hash the password (authkit password hash) when you can.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        return new Command("password", "Hashes and verifies passwords with AuthKit's PBKDF2 hasher (the IAuthKitPasswordHasher of the Basic user table).") { hash, verify };
    }
}
