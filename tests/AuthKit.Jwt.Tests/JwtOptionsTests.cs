using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class JwtOptionsTests
{
    private static async Task<string> StartupErrorAsync(Action<JwtAuthenticationOptions>? configure = null, IDictionary<string, string?>? configuration = null, string environment = "Production", bool defaults = false)
    {
        using var host = JwtTestHost.BuildHost(configure, configuration, environment, null, defaults, out _);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        return ex.Message;
    }

    [Fact]
    public async Task Missing_issuer_and_keys_stop_the_host_naming_the_settings()
    {
        var message = await StartupErrorAsync();

        Assert.Contains("AuthKit:Jwt:Issuer", message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:Jwt:Keys", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_bind_from_configuration()
    {
        var secret = Convert.ToBase64String(HmacSecret[..32]);
        await using var host = await JwtTestHost.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["AuthKit:Jwt:Issuer"] = Issuer,
            ["AuthKit:Jwt:AccessTokenLifetime"] = "00:05:00",
            ["AuthKit:Jwt:Keys:0:KeyId"] = "cfg",
            ["AuthKit:Jwt:Keys:0:Algorithm"] = "HS256",
            ["AuthKit:Jwt:Keys:0:Secret"] = secret,
            ["AuthKit:Jwt:Keys:1:Jwk"] = For(JwtAlgorithms.ES256).ToPublicJwk(),
        }, defaults: false);

        var service = (JwtTokenService)host.Services.GetRequiredService<ITokenService>();
        Assert.Equal("cfg", service.ActiveKey!.KeyId);
        Assert.Equal(2, service.Keys.Count);
        var issued = await host.Tokens.IssueAsync(User(), cancellationToken: Ct);
        Assert.Equal(Start + TimeSpan.FromMinutes(5), issued.AccessTokenExpiresAt);
        Assert.Contains("\"aud\":\"https://issuer.test\"", DecodeSegment(issued.AccessToken, 1), StringComparison.Ordinal); // audience defaults to the issuer
    }

    [Fact]
    public async Task Pem_keys_load_from_text_and_file()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var path = Path.Combine(Path.GetTempPath(), "authkit-jwt-test-" + Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(path, rsa.ExportPkcs8PrivateKeyPem(), Ct);
        try
        {
            await using var host = await JwtTestHost.StartAsync(configuration: new Dictionary<string, string?>
            {
                ["AuthKit:Jwt:Issuer"] = Issuer,
                ["AuthKit:Jwt:Keys:0:KeyId"] = "file",
                ["AuthKit:Jwt:Keys:0:Algorithm"] = "PS256",
                ["AuthKit:Jwt:Keys:0:PemFile"] = path,
                ["AuthKit:Jwt:Keys:1:KeyId"] = "pub",
                ["AuthKit:Jwt:Keys:1:Algorithm"] = "RS256",
                ["AuthKit:Jwt:Keys:1:Pem"] = rsa.ExportSubjectPublicKeyInfoPem(),
            }, defaults: false);

            var service = (JwtTokenService)host.Services.GetRequiredService<ITokenService>();
            Assert.Equal("file", service.ActiveKey!.KeyId);
            Assert.False(service.Keys.Single(k => k.KeyId == "pub").CanSign);
            var token = (await host.Tokens.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
            Assert.True((await host.Tokens.ValidateAsync(token, Ct)).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("Secret", "not base64!", "AuthKit:Jwt:Keys:0:Secret")]
    [InlineData("Secret", "AAAA", "AuthKit:Jwt:Keys:0")]
    [InlineData("PemFile", "/nonexistent/key.pem", "AuthKit:Jwt:Keys:0:PemFile")]
    [InlineData("Pem", "-----BEGIN NOTHING-----", "AuthKit:Jwt:Keys:0")]
    public async Task Bad_configured_keys_stop_the_host_naming_the_key(string field, string value, string expected)
    {
        var message = await StartupErrorAsync(configuration: new Dictionary<string, string?>
        {
            ["AuthKit:Jwt:Issuer"] = Issuer,
            ["AuthKit:Jwt:Keys:0:KeyId"] = "k",
            ["AuthKit:Jwt:Keys:0:Algorithm"] = field == "Secret" ? "HS256" : "RS256",
            ["AuthKit:Jwt:Keys:0:" + field] = value,
        });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_algorithm_and_two_sources_are_reported()
    {
        var message = await StartupErrorAsync(configuration: new Dictionary<string, string?>
        {
            ["AuthKit:Jwt:Issuer"] = Issuer,
            ["AuthKit:Jwt:Keys:0:KeyId"] = "a",
            ["AuthKit:Jwt:Keys:0:Algorithm"] = "none",
            ["AuthKit:Jwt:Keys:0:Secret"] = Convert.ToBase64String(HmacSecret),
            ["AuthKit:Jwt:Keys:1:KeyId"] = "b",
            ["AuthKit:Jwt:Keys:1:Algorithm"] = "HS256",
            ["AuthKit:Jwt:Keys:1:Secret"] = Convert.ToBase64String(HmacSecret),
            ["AuthKit:Jwt:Keys:1:Pem"] = "x",
        });

        Assert.Contains("AuthKit:Jwt:Keys:0:Algorithm 'none' is not supported", message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:Jwt:Keys:1: set exactly one of", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_field_rules_are_checked_at_start()
    {
        var message = await StartupErrorAsync(o =>
        {
            o.RefreshTokenIdleLifetime = TimeSpan.FromDays(30);
            o.ClockSkew = TimeSpan.FromMinutes(10);
            o.AcceptedTokenTypes.Clear();
            o.ActiveKeyId = "missing";
        }, defaults: true);

        Assert.Contains("AuthKit:Jwt:RefreshTokenIdleLifetime", message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:Jwt:ClockSkew", message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:Jwt:AcceptedTokenTypes", message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:Jwt:ActiveKeyId 'missing'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_generates_a_persistent_es256_key()
    {
        var dir = Path.Combine(Path.GetTempPath(), "authkit-jwt-dev-" + Guid.NewGuid().ToString("N"));
        try
        {
            string firstKid;
            string token;
            await using (var first = await JwtTestHost.StartAsync(o => o.Issuer = Issuer, environment: "Development", authKit: a => a.KeyFile = Path.Combine(dir, "keys.json"), defaults: false))
            {
                var service = (JwtTokenService)first.Services.GetRequiredService<ITokenService>();
                firstKid = service.ActiveKey!.KeyId;
                Assert.Equal(JwtAlgorithms.ES256, service.ActiveKey.Algorithm);
                token = (await first.Tokens.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
            }

            Assert.True(File.Exists(Path.Combine(dir, "jwt-keys.json")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "jwt-keys.json")));
            }

            await using var second = await JwtTestHost.StartAsync(o => o.Issuer = Issuer, environment: "Development", authKit: a => a.KeyFile = Path.Combine(dir, "keys.json"), defaults: false);
            Assert.Equal(firstKid, ((JwtTokenService)second.Services.GetRequiredService<ITokenService>()).ActiveKey!.KeyId);
            Assert.True((await second.Tokens.ValidateAsync(token, Ct)).Succeeded);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Production_never_generates_keys()
    {
        var message = await StartupErrorAsync(o => o.Issuer = Issuer);

        Assert.Contains("AuthKit:Jwt:Keys is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddJwt_twice_is_harmless_and_registers_the_token_service()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddAuthKit();
        builder.AddJwt(o => o.Issuer = Issuer);
        builder.AddJwt(o => o.SigningKeys.Add(For(JwtAlgorithms.HS256)));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<JwtTokenService>(provider.GetRequiredService<ITokenService>());
        Assert.Same(provider.GetRequiredService<ITokenService>(), provider.GetRequiredKeyedService<ITokenService>(JwtAuthenticationDefaults.AuthenticationScheme));
        Assert.Equal(JwtAuthenticationDefaults.AuthenticationScheme, provider.GetRequiredService<IOptions<AuthKitForwardingOptions>>().Value.BearerScheme);
        var options = provider.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>().Get(JwtAuthenticationDefaults.AuthenticationScheme);
        Assert.Single(options.SigningKeys);
        var schemes = provider.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
        Assert.NotNull(await schemes.GetSchemeAsync("AuthKit.Jwt"));
        Assert.Null(await schemes.GetSchemeAsync("Bearer")); // left to the framework's JwtBearer
    }

    [Fact]
    public async Task Setters_never_throw_and_the_validator_reports_every_problem_at_start()
    {
        var options = new JwtAuthenticationOptions
        {
            AccessTokenLifetime = TimeSpan.FromMinutes(-1),
            RefreshTokenLifetime = TimeSpan.Zero,
            RefreshTokenIdleLifetime = TimeSpan.FromSeconds(-1),
            RefreshTokenReuseInterval = TimeSpan.FromSeconds(-1),
            ClockSkew = TimeSpan.FromSeconds(-1),
            MaxTokenLength = 1,
            MaxRefreshTokenFamiliesPerUser = 0,
            UserNotBeforeCacheDuration = TimeSpan.FromSeconds(-1),
        };
        Assert.Equal(1, options.MaxTokenLength);

        var message = await StartupErrorAsync(o =>
        {
            o.AccessTokenLifetime = options.AccessTokenLifetime;
            o.RefreshTokenLifetime = options.RefreshTokenLifetime;
            o.RefreshTokenIdleLifetime = options.RefreshTokenIdleLifetime;
            o.RefreshTokenReuseInterval = options.RefreshTokenReuseInterval;
            o.ClockSkew = options.ClockSkew;
            o.MaxTokenLength = options.MaxTokenLength;
            o.MaxRefreshTokenFamiliesPerUser = options.MaxRefreshTokenFamiliesPerUser;
            o.UserNotBeforeCacheDuration = options.UserNotBeforeCacheDuration;
        }, defaults: true);

        foreach (var setting in new[]
        {
            "AccessTokenLifetime", "RefreshTokenLifetime", "RefreshTokenIdleLifetime", "RefreshTokenReuseInterval", "ClockSkew", "MaxTokenLength",
            "MaxRefreshTokenFamiliesPerUser", "UserNotBeforeCacheDuration",
        })
        {
            Assert.Contains("AuthKit:Jwt:" + setting, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_second_scheme_binds_from_its_own_section_and_its_errors_name_it()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AuthKit:Jwt:Issuer"] = Issuer,
                ["AuthKit:Jwt:Schemes:Partner:Issuer"] = "https://partner.test",
                ["AuthKit:Jwt:Schemes:Partner:ClockSkew"] = "00:10:00",
            })
            .Build());
        services.AddAuthentication()
            .AddAuthKitJwt(o => o.SigningKeys.Add(For(JwtAlgorithms.HS256)))
            .AddAuthKitJwt("Partner", o => o.SigningKeys.Add(For(JwtAlgorithms.ES256)));
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>();

        Assert.Equal(Issuer, monitor.Get(JwtAuthenticationDefaults.AuthenticationScheme).Issuer);
        var ex = Assert.Throws<OptionsValidationException>(() => monitor.Get("Partner"));
        Assert.Contains("AuthKit:Jwt:Schemes:Partner:ClockSkew", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_reload_reaches_the_token_service_without_a_restart()
    {
        await using var host = await JwtTestHost.StartAsync(configuration: new Dictionary<string, string?> { ["AuthKit:Jwt:Issuer"] = Issuer }, defaults: false,
            configure: o => o.SigningKeys.Add(For(JwtAlgorithms.HS256)));
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var before = await host.IssueAsync();

        configuration["AuthKit:Jwt:Issuer"] = "https://renamed.test";
        configuration.Reload();

        var after = await host.IssueAsync();
        Assert.Contains("\"iss\":\"https://renamed.test\"", DecodeSegment(after, 1), StringComparison.Ordinal);
        Assert.True((await host.Tokens.ValidateAsync(after, Ct)).Succeeded);
        Assert.Equal(TokenValidationError.BadIssuer, (await host.Tokens.ValidateAsync(before, Ct)).Error);
        using var response = await host.GetAsync("/bearer", ("Authorization", "Bearer " + after));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_invalid_reload_keeps_the_previous_options_in_use()
    {
        await using var host = await JwtTestHost.StartAsync(configuration: new Dictionary<string, string?> { ["AuthKit:Jwt:Issuer"] = Issuer }, defaults: false,
            configure: o => o.SigningKeys.Add(For(JwtAlgorithms.HS256)));
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var before = await host.IssueAsync();

        configuration["AuthKit:Jwt:ClockSkew"] = "01:00:00";
        try
        {
            configuration.Reload();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // The framework's monitor rebuilds the options inside the reload callback and throws there; the service must not care.
        }

        var after = await host.IssueAsync();
        Assert.True((await host.Tokens.ValidateAsync(before, Ct)).Succeeded);
        Assert.True((await host.Tokens.ValidateAsync(after, Ct)).Succeeded);

        // Fixed again: picked up (the service asks the monitor again at most a second after a failure).
        configuration["AuthKit:Jwt:ClockSkew"] = "00:00:30";
        configuration["AuthKit:Jwt:Issuer"] = "https://renamed.test";
        configuration.Reload();
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("\"iss\":\"https://renamed.test\"", DecodeSegment(await host.IssueAsync(), 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_keys_rotate_on_reload_and_a_reload_without_valid_keys_is_refused()
    {
        var a = Convert.ToBase64String(Enumerable.Repeat((byte)0x11, 32).ToArray());
        var b = Convert.ToBase64String(Enumerable.Repeat((byte)0x22, 32).ToArray());
        await using var host = await JwtTestHost.StartAsync(
            configuration: new Dictionary<string, string?>
            {
                ["AuthKit:Jwt:Issuer"] = Issuer,
                ["AuthKit:Jwt:Keys:0:KeyId"] = "a",
                ["AuthKit:Jwt:Keys:0:Algorithm"] = "HS256",
                ["AuthKit:Jwt:Keys:0:Secret"] = a,
            },
            defaults: false,
            environment: "Development");
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var signedByA = await host.IssueAsync();
        Assert.Contains("\"kid\":\"a\"", DecodeSegment(signedByA, 0), StringComparison.Ordinal);

        // b added and made active: new tokens carry b, a's still validate.
        configuration["AuthKit:Jwt:Keys:1:KeyId"] = "b";
        configuration["AuthKit:Jwt:Keys:1:Algorithm"] = "HS256";
        configuration["AuthKit:Jwt:Keys:1:Secret"] = b;
        configuration["AuthKit:Jwt:ActiveKeyId"] = "b";
        configuration.Reload();
        var signedByB = await host.IssueAsync();
        Assert.Contains("\"kid\":\"b\"", DecodeSegment(signedByB, 0), StringComparison.Ordinal);
        Assert.True((await host.Tokens.ValidateAsync(signedByA, Ct)).Succeeded);

        // Keys emptied out: refused, never a generated development key.
        foreach (var key in new[] { "0:KeyId", "0:Algorithm", "0:Secret", "1:KeyId", "1:Algorithm", "1:Secret" })
        {
            configuration["AuthKit:Jwt:Keys:" + key] = null;
        }

        configuration["AuthKit:Jwt:ActiveKeyId"] = null;
        try
        {
            configuration.Reload();
        }
        catch (AggregateException)
        {
            // The framework's monitor may throw inside the reload callback; the service must not care.
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("\"kid\":\"b\"", DecodeSegment(await host.IssueAsync(), 0), StringComparison.Ordinal);
        Assert.True((await host.Tokens.ValidateAsync(signedByA, Ct)).Succeeded);
    }

    [Fact]
    public async Task Keys_that_vanish_on_reload_are_refused_even_when_a_development_key_would_stand_in()
    {
        var configured = new JwtAuthenticationOptions { Issuer = Issuer };
        configured.Keys.Add(new JwtKeyOptions { KeyId = "a", Algorithm = "HS256", Secret = Convert.ToBase64String(Enumerable.Repeat((byte)0x11, 32).ToArray()) });

        // What a JSON file that no longer parses reloads as, in Development: no configured key, a generated one in its place.
        var emptied = new JwtAuthenticationOptions { Issuer = Issuer };
        emptied.SigningKeys.Add(For(JwtAlgorithms.ES256));

        var monitor = new SwitchingMonitor(configured);
        var service = new JwtTokenService(monitor, JwtAuthenticationDefaults.AuthenticationScheme, new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), TimeProvider.System), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var before = (await service.IssueAsync(User("alice"), cancellationToken: Ct)).AccessToken;

        monitor.Current = emptied;
        var after = (await service.IssueAsync(User("alice"), cancellationToken: Ct)).AccessToken;

        Assert.Contains("\"kid\":\"a\"", DecodeSegment(after, 0), StringComparison.Ordinal);
        Assert.True((await service.ValidateAsync(before, Ct)).Succeeded);
        Assert.Equal("a", service.ActiveKey?.KeyId);
    }

    private sealed class SwitchingMonitor(JwtAuthenticationOptions initial) : IOptionsMonitor<JwtAuthenticationOptions>
    {
        public JwtAuthenticationOptions Current { get; set; } = initial;

        public JwtAuthenticationOptions CurrentValue => Current;

        public JwtAuthenticationOptions Get(string? name) => Current;

        public IDisposable? OnChange(Action<JwtAuthenticationOptions, string?> listener) => null;
    }
}
