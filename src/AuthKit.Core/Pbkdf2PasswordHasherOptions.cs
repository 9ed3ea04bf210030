namespace AuthKit;

/// <summary>Parameters of <see cref="Pbkdf2PasswordHasher"/>.</summary>
public sealed class Pbkdf2PasswordHasherOptions
{
    private int _iterations = 600_000;
    private int _saltLength = 16;
    private int _hashLength = 32;

    /// <summary>PBKDF2 iterations; 600,000 by default (OWASP 2023 for PBKDF2-HMAC-SHA256). Between 10,000 and 10,000,000.</summary>
    public int Iterations
    {
        get => _iterations;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, Pbkdf2PasswordHasher.MinIterations);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Pbkdf2PasswordHasher.MaxIterations);
            _iterations = value;
        }
    }

    /// <summary>Salt length in bytes; 16 by default (16 to 64).</summary>
    public int SaltLength
    {
        get => _saltLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 16);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 64);
            _saltLength = value;
        }
    }

    /// <summary>Derived hash length in bytes; 32 by default (16 to 64).</summary>
    public int HashLength
    {
        get => _hashLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 16);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 64);
            _hashLength = value;
        }
    }
}
