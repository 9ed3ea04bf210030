namespace AuthKit.Tool;

/// <summary>A failure the tool reports on standard error as one message that names the fix, and ends with <see cref="ExitCode"/>.</summary>
internal sealed class ToolException(int exitCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;

    public static ToolException Usage(string message) => new(ExitCodes.Usage, message);

    public static ToolException Configuration(string message, Exception? innerException = null) => new(ExitCodes.Configuration, message, innerException);

    public static ToolException Store(string message, Exception? innerException = null) => new(ExitCodes.StoreFailure, message, innerException);
}
