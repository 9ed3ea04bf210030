namespace AuthKit.Tool;

/// <summary>The exit codes of <c>authkit</c>; docs/tool.md lists them, and scripts may rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Done (for <c>password verify</c> and a validated <c>token inspect</c>: the answer is yes).</summary>
    public const int Success = 0;

    /// <summary>The answer is no: the password does not match, the token is refused, the two passwords typed differ.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing or bad value.</summary>
    public const int Usage = 2;

    /// <summary>The configuration is missing or wrong: no store configured, a file that cannot be read, options that fail validation.</summary>
    public const int Configuration = 3;

    /// <summary>The session store failed: Redis unreachable, a directory that cannot be read.</summary>
    public const int StoreFailure = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
