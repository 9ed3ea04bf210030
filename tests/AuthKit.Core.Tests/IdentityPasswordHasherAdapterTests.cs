using Microsoft.AspNetCore.Identity;

namespace AuthKit.Core.Tests;

public sealed class IdentityPasswordHasherAdapterTests
{
    private static readonly Pbkdf2PasswordHasher Fast = new(new Pbkdf2PasswordHasherOptions { Iterations = 10_000 });

    private sealed class AppUser;

    [Fact]
    public void Identity_hashes_and_verifies_with_the_AuthKit_hasher()
    {
        IPasswordHasher<AppUser> identity = new IdentityPasswordHasherAdapter<AppUser>(Fast);
        var user = new AppUser();
        var hash = identity.HashPassword(user, "pw");
        Assert.StartsWith("$pbkdf2-sha256$i=10000$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordVerificationResult.Success, identity.VerifyHashedPassword(user, hash, "pw"));
        Assert.Equal(PasswordVerificationResult.Failed, identity.VerifyHashedPassword(user, hash, "nope"));

        var stronger = new IdentityPasswordHasherAdapter<AppUser>(new Pbkdf2PasswordHasher(new Pbkdf2PasswordHasherOptions { Iterations = 20_000 }));
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, stronger.VerifyHashedPassword(user, hash, "pw"));
    }

    [Fact]
    public void Existing_Identity_hashes_verify_through_the_fallback_and_ask_for_an_AuthKit_hash()
    {
        var user = new AppUser();
        var identityHash = new PasswordHasher<AppUser>().HashPassword(user, "legacy");
        var adapter = new IdentityPasswordHasherAdapter<AppUser>(Fast, new PasswordHasher<AppUser>());
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, adapter.VerifyHashedPassword(user, identityHash, "legacy"));
        Assert.Equal(PasswordVerificationResult.Failed, adapter.VerifyHashedPassword(user, identityHash, "wrong"));

        // Without a fallback, another format is simply not a match.
        Assert.Equal(PasswordVerificationResult.Failed, new IdentityPasswordHasherAdapter<AppUser>(Fast).VerifyHashedPassword(user, identityHash, "legacy"));
    }
}
