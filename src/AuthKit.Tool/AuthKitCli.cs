using System.CommandLine;
using System.CommandLine.Invocation;

namespace AuthKit.Tool;

/// <summary>The <c>authkit</c> command tree and how a run ends: output on stdout, errors on stderr, documented exit codes.</summary>
internal static class AuthKitCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("authkit: keys, password hashes, token inspection and session revocation for AuthKit apps.")
        {
            KeyCommands.Create(),
            PasswordCommands.Create(),
            TokenCommands.Create(),
            SessionCommands.Create(),
        };

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"authkit: {error.Message}").ConfigureAwait(false);
            }

            var command = string.Join(' ', parse.CommandResult.Command is RootCommand ? ["authkit"] : CommandPath(parse.CommandResult));
            await Console.Error.WriteLineAsync($"Run '{command} --help' for the usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (ToolException ex)
        {
            await Console.Error.WriteLineAsync($"authkit: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("authkit: interrupted.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    private static string[] CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(r.Command is RootCommand ? "authkit" : r.Command.Name);
        }

        names.Reverse();
        return [.. names];
    }
}
