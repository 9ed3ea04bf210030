using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Core.Tests;

public sealed class Pbkdf2PasswordHasherTests
{
    private static readonly Pbkdf2PasswordHasher Fast = new(new Pbkdf2PasswordHasherOptions { Iterations = 10_000 });

    [Fact]
    public void Default_hasher_uses_600000_iterations_and_verifies_its_own_hash()
    {
        var hasher = new Pbkdf2PasswordHasher();
        var hash = hasher.HashPassword("correct horse battery staple");
        Assert.StartsWith("$pbkdf2-sha256$i=600000$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerificationOutcome.Success, hasher.VerifyPassword(hash, "correct horse battery staple"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pässwörd with ünïcode and a : colon")]
    [InlineData("🔐")]
    public void Hash_verifies_the_password_and_rejects_others(string password)
    {
        var hash = Fast.HashPassword(password);
        Assert.Equal(PasswordVerificationOutcome.Success, Fast.VerifyPassword(hash, password));
        Assert.Equal(PasswordVerificationOutcome.Failed, Fast.VerifyPassword(hash, password + "x"));
        Assert.Equal(PasswordVerificationOutcome.Failed, Fast.VerifyPassword(hash, password.ToUpperInvariant() + "X"));
    }

    [Fact]
    public void Same_password_hashes_differently_each_time()
    {
        Assert.NotEqual(Fast.HashPassword("a"), Fast.HashPassword("a"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain-text-password")]
    [InlineData("$pbkdf2-sha256$")]
    [InlineData("$pbkdf2-sha256$i=$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=abc$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=-5$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=99999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=2147483647$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=10000$!!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=10000$AAAAAAAAAAAAAAAAAAAAAA$")]
    [InlineData("$pbkdf2-sha256$i=10000$AAAAAAAAAAAAAAAAAAAAAA$AAAA$AAAA")]
    [InlineData("$pbkdf2-sha256$i=10000$AA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha512$i=10000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_hash_strings_verify_as_failed_without_throwing(string? hash)
    {
        Assert.Equal(PasswordVerificationOutcome.Failed, Fast.VerifyPassword(hash!, "password"));
    }

    [Fact]
    public void One_verify_call_says_success_rehash_needed_when_parameters_rise()
    {
        var old = Fast.HashPassword("pw");
        var stronger = new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 20_000 });
        Assert.Equal(PasswordVerificationOutcome.SuccessRehashNeeded, stronger.VerifyPassword(old, "pw"));
        Assert.Equal(PasswordVerificationOutcome.Failed, stronger.VerifyPassword(old, "wrong"));
        Assert.Equal(PasswordVerificationOutcome.Success, stronger.VerifyPassword(stronger.HashPassword("pw"), "pw"));
        var longerSalt = new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 10_000, SaltLength = 32 });
        Assert.Equal(PasswordVerificationOutcome.SuccessRehashNeeded, longerSalt.VerifyPassword(old, "pw"));
    }

    [Fact]
    public void Option_setters_do_not_throw_and_the_hasher_reports_every_weak_parameter()
    {
        var o = new Pbkdf2PasswordHasherOptions { Iterations = 1000, SaltLength = 8, HashLength = 8 };
        var ex = Assert.Throws<ArgumentException>(() => new Pbkdf2PasswordHasher(o));
        Assert.Contains("AuthKit:PasswordHasher:Iterations", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:PasswordHasher:SaltLength", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AuthKit:PasswordHasher:HashLength", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weak_parameters_from_configuration_stop_the_host_at_start()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddAuthKit();
        services.Configure<Pbkdf2PasswordHasherOptions>(o => (o.Iterations, o.SaltLength) = (5, 4));
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<Pbkdf2PasswordHasherOptions>>(provider).Value);
        Assert.Equal(2, ex.Failures.Count());
    }
}
