namespace AuthKit;

/// <summary>
/// Parameters of <see cref="Pbkdf2PasswordHasher"/>, bound from <c>AuthKit:PasswordHasher</c> and checked at start-up (a hasher
/// built with <see langword="new"/> checks them in its constructor).
/// </summary>
public sealed class Pbkdf2PasswordHasherOptions
{
    /// <summary>PBKDF2 iterations; 600,000 by default (OWASP 2023 for PBKDF2-HMAC-SHA256). Between 10,000 and 10,000,000.</summary>
    public int Iterations { get; set; } = 600_000;

    /// <summary>Salt length in bytes; 16 by default (16 to 64).</summary>
    public int SaltLength { get; set; } = 16;

    /// <summary>Derived hash length in bytes; 32 by default (16 to 64).</summary>
    public int HashLength { get; set; } = 32;
}
