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
        Assert.True(hasher.VerifyPassword(hash, "correct horse battery staple"));
        Assert.False(hasher.NeedsRehash(hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pässwörd with ünïcode and a : colon")]
    [InlineData("🔐")]
    public void Hash_verifies_the_password_and_rejects_others(string password)
    {
        var hash = Fast.HashPassword(password);
        Assert.True(Fast.VerifyPassword(hash, password));
        Assert.False(Fast.VerifyPassword(hash, password + "x"));
        Assert.False(Fast.VerifyPassword(hash, password.ToUpperInvariant() + "X"));
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
    public void Malformed_hash_strings_verify_as_false_without_throwing(string? hash)
    {
        Assert.False(Fast.VerifyPassword(hash!, "password"));
        Assert.True(Fast.NeedsRehash(hash!));
    }

    [Fact]
    public void Needs_rehash_when_parameters_rise()
    {
        var old = Fast.HashPassword("pw");
        var stronger = new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 20_000 });
        Assert.True(stronger.NeedsRehash(old));
        Assert.True(stronger.VerifyPassword(old, "pw"));
        Assert.False(stronger.NeedsRehash(stronger.HashPassword("pw")));
        var longerSalt = new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 10_000, SaltLength = 32 });
        Assert.True(longerSalt.NeedsRehash(old));
    }

    [Fact]
    public void Options_reject_weak_parameters()
    {
        var o = new Pbkdf2PasswordHasherOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => o.Iterations = 1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => o.SaltLength = 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => o.HashLength = 8);
    }
}
