using System.Text;

namespace AuthKit.Tool;

/// <summary>Reads a secret from standard input: typed without echo on a terminal, or the whole input when it is piped.</summary>
internal static class SecretInput
{
    private const int MaxLength = 4096;

    /// <summary>Whether a person types the secret (standard input is a terminal).</summary>
    public static bool IsInteractive => !Console.IsInputRedirected;

    /// <summary>
    /// On a terminal: writes <paramref name="prompt"/> to standard error and reads one line without echo. Piped: reads all of
    /// standard input and drops one trailing line break (so <c>echo pw | authkit …</c> and a file both work).
    /// </summary>
    public static async Task<string> ReadAsync(string prompt, CancellationToken cancellationToken)
    {
        string secret;
        if (IsInteractive)
        {
            await Console.Error.WriteAsync(prompt).ConfigureAwait(false);
            secret = ReadWithoutEcho(cancellationToken);
            await Console.Error.WriteLineAsync().ConfigureAwait(false);
        }
        else
        {
            var input = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            secret = input.EndsWith("\r\n", StringComparison.Ordinal) ? input[..^2]
                : input.EndsWith('\n') ? input[..^1]
                : input;
        }

        if (secret.Length > MaxLength)
        {
            throw ToolException.Usage($"the input is over {MaxLength} characters; give the password alone on standard input.");
        }

        return secret;
    }

    private static string ReadWithoutEcho(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    return text.ToString();
                case ConsoleKey.Backspace:
                    if (text.Length > 0)
                    {
                        text.Length--;
                    }

                    break;
                default:
                    if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
                    {
                        throw new OperationCanceledException();
                    }

                    if (!char.IsControl(key.KeyChar) && text.Length < MaxLength)
                    {
                        text.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
