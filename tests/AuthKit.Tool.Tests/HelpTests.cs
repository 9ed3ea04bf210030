namespace AuthKit.Tool.Tests;

/// <summary>Every command answers <c>--help</c> on standard output with exit code 0; a wrong command line exits 2 on standard error.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("")]
    [InlineData("key")]
    [InlineData("key new")]
    [InlineData("password")]
    [InlineData("password hash")]
    [InlineData("password verify")]
    [InlineData("token")]
    [InlineData("token inspect")]
    [InlineData("sessions")]
    [InlineData("sessions list")]
    [InlineData("sessions revoke")]
    [InlineData("sessions stats")]
    public async Task Every_command_has_help(string command)
    {
        string[] args = [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];
        var result = await ToolRunner.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains(("authkit " + command).Trim(), result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("sessions list")]
    [InlineData("sessions list --user")]
    [InlineData("key new --format yaml")]
    public async Task A_wrong_command_line_exits_2_and_points_to_help(string command)
    {
        var result = await ToolRunner.RunAsync(command.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.StartsWith("authkit: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for the usage.", result.Error, StringComparison.Ordinal);
    }
}
