using System.Security.Cryptography;
using System.Text.Json;
using AuthKit.Jwt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Tool.Tests;

/// <summary><c>authkit token inspect</c>: decoding for anyone, validation with the app's keys naming the exact failure.</summary>
public sealed class TokenInspectTests : IDisposable
{
    private const string Issuer = "https://shop.test";
    private static readonly string s_secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static JwtAuthenticationOptions Options(string kid = "k1", string? secret = null, string? audience = null)
    {
        var o = new JwtAuthenticationOptions { Issuer = Issuer, Audience = audience };
        o.Keys.Add(new JwtKeyOptions { KeyId = kid, Algorithm = "HS256", Secret = secret ?? s_secret });
        return o;
    }

    /// <summary>An appsettings.json in the app's shape holding the JWT settings.</summary>
    private string AppSettings(string kid = "k1", string? secret = null, string? audience = null, string name = "appsettings.json")
    {
        var jwt = new Dictionary<string, object?>
        {
            ["Issuer"] = Issuer,
            ["Keys"] = new[] { new Dictionary<string, string> { ["KeyId"] = kid, ["Algorithm"] = "HS256", ["Secret"] = secret ?? s_secret } },
        };
        if (audience is not null)
        {
            jwt["Audience"] = audience;
        }

        var path = _dir.File(name);
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["AuthKit"] = new Dictionary<string, object> { ["Jwt"] = jwt } }));
        return path;
    }

    private static async Task<string> IssueAsync(JwtAuthenticationOptions options, TimeProvider? time = null, string user = "alice")
    {
        time ??= TimeProvider.System;
        var store = new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), time);
        var service = JwtTokenService.Create(options, store, time, NullLoggerFactory.Instance);
        return (await service.IssueAsync(ToolConfiguration.User(user), cancellationToken: Ct)).AccessToken;
    }

    [Fact]
    public async Task Without_keys_it_prints_header_claims_and_times_in_UTC_and_local_and_says_nothing_was_verified()
    {
        var token = await IssueAsync(Options());
        var result = await ToolRunner.RunAsync("token", "inspect", token);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Header", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"kid\": \"k1\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"typ\": \"at+jwt\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"sub\": \"alice\"", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"exp\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d local\), in \d+ min", result.Out);
        Assert.Contains("not verified", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_can_come_from_standard_input()
    {
        var token = await IssueAsync(Options());
        var result = await ToolRunner.RunAsync(["token", "inspect", "-", "--keys", AppSettings()], stdin: token + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Valid: signed by key 'k1' (HS256)", result.Out, StringComparison.Ordinal);
        Assert.Contains("subject 'alice'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_names_the_expiry_in_UTC_and_the_clock_skew()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var token = await IssueAsync(Options(), past);
        var result = await ToolRunner.RunAsync("token", "inspect", token, "--keys", AppSettings());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Refused: Expired. It expired at ", result.Out, StringComparison.Ordinal);
        Assert.Contains("UTC", result.Out, StringComparison.Ordinal);
        Assert.Contains("clock skew of 30 s", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_app_does_not_have_is_named_with_the_keys_it_has()
    {
        var token = await IssueAsync(Options(kid: "gone"));
        var result = await ToolRunner.RunAsync("token", "inspect", token, "--keys", AppSettings(kid: "k2"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Refused: UnknownKey. No key has the token's kid 'gone'; the keys of ", result.Out, StringComparison.Ordinal);
        Assert.Contains("'k2' (HS256)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_kid_with_another_secret_is_a_bad_signature()
    {
        var token = await IssueAsync(Options(secret: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var result = await ToolRunner.RunAsync("token", "inspect", token, "--keys", AppSettings());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Refused: BadSignature.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_audience_is_named_beside_the_accepted_ones()
    {
        var token = await IssueAsync(Options(audience: "api-a"));
        var result = await ToolRunner.RunAsync("token", "inspect", token, "--keys", AppSettings(audience: "api-b"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Refused: BadAudience. Its aud 'api-a' has none of the accepted audiences 'api-b'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JWKS_validates_asymmetric_tokens_and_says_what_it_did_not_check()
    {
        var options = new JwtAuthenticationOptions { Issuer = Issuer };
        options.SigningKeys.Add(JwtSigningKey.Generate("es-1", "ES256"));
        var service = JwtTokenService.Create(options);
        var token = (await service.IssueAsync(ToolConfiguration.User("bob"), cancellationToken: Ct)).AccessToken;
        var jwks = _dir.File("jwks.json");
        await File.WriteAllTextAsync(jwks, service.GetJwks(), Ct);

        var open = await ToolRunner.RunAsync("token", "inspect", token, "--keys", jwks);
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Contains("Valid: signed by key 'es-1' (ES256)", open.Out, StringComparison.Ordinal);
        Assert.Contains("iss and aud taken from the token, so not checked", open.Out, StringComparison.Ordinal);

        var strict = await ToolRunner.RunAsync("token", "inspect", token, "--keys", jwks, "--issuer", "https://other.test");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("Refused: BadIssuer. Its iss 'https://shop.test' is not accepted; the app accepts 'https://other.test'", strict.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_without_keys_is_a_configuration_error_naming_the_setting()
    {
        var path = _dir.File("nokeys.json");
        await File.WriteAllTextAsync(path, """{ "AuthKit": { "Jwt": { "Issuer": "https://shop.test" } } }""", Ct);
        var token = await IssueAsync(Options());
        var result = await ToolRunner.RunAsync("token", "inspect", token, "--keys", path);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("AuthKit:Jwt:Keys is empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_keys_file_is_a_configuration_error()
    {
        var token = await IssueAsync(Options());
        var result = await ToolRunner.RunAsync("token", "inspect", token, "--keys", _dir.File("missing.json"));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no such file", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln")]
    public async Task Something_that_is_not_a_JWT_exits_1_explaining_the_compact_form(string text)
    {
        var result = await ToolRunner.RunAsync("token", "inspect", text);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("compact form", result.Error, StringComparison.Ordinal);
    }
}
