namespace AuthKit.Basic.Tests;

/// <summary>A real PBKDF2 hasher (at the lowest iteration count, to keep tests fast) that counts verifications.</summary>
internal sealed class CountingPasswordHasher : IAuthKitPasswordHasher
{
    private readonly Pbkdf2PasswordHasher _inner = new(new Pbkdf2PasswordHasherOptions { Iterations = 10_000 });
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(string password) => _inner.HashPassword(password);

    public PasswordVerificationOutcome VerifyPassword(string hashedPassword, string password)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyPassword(hashedPassword, password);
    }
}
