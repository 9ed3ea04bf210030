using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Tool.Tests;

/// <summary><c>authkit key new</c>: the printed configuration is what AuthKit loads, in both forms, and nothing is written elsewhere.</summary>
public sealed class KeyCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cookie_key_in_json_and_env_form_loads_into_the_key_ring()
    {
        var json = await ToolRunner.RunAsync("key", "new", "--key-id", "ring-1", "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains("\"Keys\"", json.Out, StringComparison.Ordinal);

        var env = await ToolRunner.RunAsync("key", "new", "--key-id", "ring-2", "--index", "1", "--format", "env");
        Assert.True(env.ExitCode == 0, env.ToString());
        Assert.StartsWith("AuthKit__Keys__1__KeyId=ring-2\nAuthKit__Keys__1__Secret=", env.Out, StringComparison.Ordinal);

        // Both keys together, as an app given the file and the environment would have them.
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(ToolConfiguration.FromJson(json.Out))
            .AddConfiguration(ToolConfiguration.FromEnvironmentLines(env.Out))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddAuthKit();
        using var provider = services.BuildServiceProvider();
        var ring = provider.GetRequiredService<IAuthKitKeyRing>();
        Assert.Equal(["ring-1", "ring-2"], ring.Keys.Select(k => k.KeyId));
        Assert.Equal("ring-1", ring.ActiveKey.KeyId);
    }

    [Fact]
    public async Task Two_keys_never_share_a_secret()
    {
        var a = await ToolRunner.RunAsync("key", "new", "--key-id", "same", "--format", "env");
        var b = await ToolRunner.RunAsync("key", "new", "--key-id", "same", "--format", "env");
        Assert.NotEqual(a.Out, b.Out);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("RS256")]
    [InlineData("PS384")]
    [InlineData("ES256")]
    [InlineData("ES512")]
    public async Task Jwt_key_signs_and_validates_through_AddJwt(string algorithm)
    {
        var env = await ToolRunner.RunAsync("key", "new", "--purpose", "jwt", "--alg", algorithm, "--key-id", "tool-" + algorithm, "--format", "env");
        Assert.True(env.ExitCode == 0, env.ToString());
        var configuration = ToolConfiguration.FromEnvironmentLines(env.Out, new Dictionary<string, string?> { ["AuthKit:Jwt:Issuer"] = "https://tool.test" });
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddAuthKit().AddJwt();
        using var provider = services.BuildServiceProvider();
        var tokens = provider.GetRequiredService<ITokenService>();
        var issued = await tokens.IssueAsync(ToolConfiguration.User("alice"), cancellationToken: Ct);
        var result = await tokens.ValidateAsync(issued.AccessToken, Ct);
        Assert.True(result.Succeeded, result.Error.ToString());
        var header = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(issued.AccessToken.Split('.')[0]));
        Assert.Contains($"\"alg\":\"{algorithm}\"", header, StringComparison.Ordinal);
        Assert.Contains($"\"kid\":\"tool-{algorithm}\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_JSON_form_of_a_JWT_key_is_the_same_key_as_the_env_form()
    {
        var both = await ToolRunner.RunAsync("key", "new", "--alg", "ES256", "--key-id", "both");
        Assert.True(both.ExitCode == 0, both.ToString());
        var split = both.Out.IndexOf("\n\n", StringComparison.Ordinal);
        var fromJson = ToolConfiguration.FromJson(both.Out[..split]);
        var fromEnv = ToolConfiguration.FromEnvironmentLines(both.Out[(split + 2)..]);
        foreach (var name in new[] { "KeyId", "Algorithm", "Jwk" })
        {
            Assert.Equal(fromEnv["AuthKit:Jwt:Keys:0:" + name], fromJson["AuthKit:Jwt:Keys:0:" + name]);
        }
    }

    [Fact]
    public async Task Nothing_but_standard_output_holds_the_key()
    {
        using var home = new TempDirectory();
        using var cwd = new TempDirectory();
        var result = await ToolRunner.RunAsync(["key", "new", "--format", "env"], workingDirectory: cwd.Path, environment: new Dictionary<string, string?>
        {
            ["HOME"] = home.Path,
            ["XDG_DATA_HOME"] = home.Path,
            ["DOTNET_CLI_HOME"] = home.Path,
        });
        Assert.True(result.ExitCode == 0, result.ToString());
        var secret = result.Out.Split('\n')[1].Split('=', 2)[1];
        Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cwd.Path));
        Assert.DoesNotContain(Directory.EnumerateFiles(home.Path, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_algorithm_for_a_cookie_key_is_a_usage_error_that_names_the_fix()
    {
        var result = await ToolRunner.RunAsync("key", "new", "--purpose", "cookies", "--alg", "RS256");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("--purpose jwt", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--alg", "none")]
    [InlineData("--key-id", "a/b")]
    [InlineData("--index", "-1")]
    [InlineData("--bogus", "1")]
    public async Task Bad_arguments_exit_2_with_the_error_on_stderr(string option, string value)
    {
        var result = await ToolRunner.RunAsync("key", "new", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.StartsWith("authkit: ", result.Error, StringComparison.Ordinal);
    }
}
