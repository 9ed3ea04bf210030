using System.Diagnostics;
using System.Text;
using AuthKit.Basic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Tool.Tests;

/// <summary><c>authkit password hash | verify</c>: AuthKit's own hash strings, the password only ever on standard input.</summary>
public sealed class PasswordCommandTests
{
    [Fact]
    public async Task A_piped_password_hashes_to_a_string_the_AuthKit_hasher_verifies()
    {
        var result = await ToolRunner.RunAsync(["password", "hash"], stdin: "correct horse:battery\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        var hash = result.Out.Trim();
        Assert.StartsWith("$pbkdf2-sha256$i=600000$", hash, StringComparison.Ordinal);
        var hasher = new Pbkdf2PasswordHasher();
        // Success, not SuccessRehashNeeded: the tool hashes with today's parameters.
        Assert.Equal(PasswordVerificationOutcome.Success, hasher.VerifyPassword(hash, "correct horse:battery"));
        Assert.Equal(PasswordVerificationOutcome.Failed, hasher.VerifyPassword(hash, "correct horse:battery\n"));
        Assert.DoesNotContain("battery", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_exits_0_on_a_match_and_1_otherwise()
    {
        var hash = new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 10_000 }).HashPassword("s3cret");
        var match = await ToolRunner.RunAsync(["password", "verify", hash], stdin: "s3cret");
        Assert.Equal(0, match.ExitCode);
        Assert.Equal("match", match.Out.Trim());
        Assert.Contains("re-hash", match.Error, StringComparison.Ordinal);

        var wrong = await ToolRunner.RunAsync(["password", "verify", hash], stdin: "s3cret!");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("no match", wrong.Out.Trim());
    }

    [Fact]
    public async Task Iterations_are_honoured_and_bounded()
    {
        var low = await ToolRunner.RunAsync(["password", "hash", "--iterations", "10000"], stdin: "pw");
        Assert.Equal(0, low.ExitCode);
        Assert.StartsWith("$pbkdf2-sha256$i=10000$", low.Out, StringComparison.Ordinal);

        var tooLow = await ToolRunner.RunAsync(["password", "hash", "--iterations", "1000"], stdin: "pw");
        Assert.Equal(2, tooLow.ExitCode);
        Assert.Contains("10,000", tooLow.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_user_form_fills_the_Basic_user_table()
    {
        var result = await ToolRunner.RunAsync(["password", "hash", "--iterations", "10000", "--user", "alice"], stdin: "alice-pw");
        Assert.True(result.ExitCode == 0, result.ToString());
        var blocks = result.Out.Split("\n\n");
        var hash = blocks[0].Trim();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(ToolConfiguration.FromJson(blocks[1])).AddLogging();
        services.AddAuthKit().AddBasicUsers();
        using var provider = services.BuildServiceProvider();
        Assert.Equal(hash, provider.GetRequiredService<IOptions<BasicUserTableOptions>>().Value.Users["alice"]);
        Assert.Equal($"AuthKit__Basic__Users__alice={hash}", blocks[2].Trim());
    }

    [Fact]
    public async Task An_empty_password_is_refused_with_the_fix()
    {
        var result = await ToolRunner.RunAsync(["password", "hash"], stdin: "\n");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("pipe it", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hash_that_is_not_AuthKits_is_a_usage_error()
    {
        var result = await ToolRunner.RunAsync(["password", "verify", "sha256:abc"], stdin: "pw");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("single quotes", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// On a terminal the password is typed twice and never echoed. <c>script</c> (util-linux) gives the tool a
    /// pseudo-terminal; the test types only after each prompt appears, as a person does.
    /// </summary>
    [Fact]
    public async Task On_a_terminal_the_password_is_not_echoed()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/script"), "needs util-linux's script(1) for a pseudo-terminal");
        var command = $"dotnet '{ToolRunner.ToolPath}' password hash --iterations 10000";
        var start = new ProcessStartInfo("/usr/bin/script", ["-qfec", command, "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TERM"] = "dumb";
        using var process = Process.Start(start)!;
        var screen = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buffer = new char[256].AsMemory();
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                lock (screen)
                {
                    screen.Append(buffer.Span[..n]);
                }
            }
        }, TestContext.Current.CancellationToken);

        await WaitForAsync(screen, "Password: ", 1);
        await Task.Delay(500, TestContext.Current.CancellationToken); // the prompt is written just before the terminal is switched to no-echo
        await process.StandardInput.WriteAsync("typed-secret\r".AsMemory(), TestContext.Current.CancellationToken);
        await process.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        await WaitForAsync(screen, "Again: ", 1);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync("typed-secret\r".AsMemory(), TestContext.Current.CancellationToken);
        await process.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        await WaitForAsync(screen, "$pbkdf2-sha256$", 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        await reader;

        var text = screen.ToString();
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("typed-secret", text, StringComparison.Ordinal);
        var hash = text[text.IndexOf("$pbkdf2-sha256$", StringComparison.Ordinal)..].Split('\r', '\n')[0];
        Assert.True(new Pbkdf2PasswordHasher().VerifyPassword(hash, "typed-secret") != PasswordVerificationOutcome.Failed, text);
    }

    private static async Task WaitForAsync(StringBuilder screen, string text, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            lock (screen)
            {
                if (CountOf(screen.ToString(), text) >= count)
                {
                    return;
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        lock (screen)
        {
            Assert.Fail($"'{text}' did not appear; the terminal shows:\n{screen}");
        }
    }

    private static int CountOf(string haystack, string needle)
    {
        var count = 0;
        for (var i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
