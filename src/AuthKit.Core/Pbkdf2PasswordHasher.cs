using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Internal;
using Microsoft.Extensions.Options;

namespace AuthKit;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashing. Hash strings look like
/// <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c> (salt and hash base64url), so parameters can rise over time.
/// </summary>
/// <remarks>A 600,000-iteration hash costs hundreds of milliseconds by design; AuthKit.Basic caches verified credentials so a client pays it once per cache lifetime.</remarks>
public sealed class Pbkdf2PasswordHasher : IAuthKitPasswordHasher
{
    internal const int MinIterations = 10_000;
    internal const int MaxIterations = 10_000_000;
    private const string Prefix = "$pbkdf2-sha256$i=";

    private readonly Pbkdf2PasswordHasherOptions _options;

    /// <summary>Creates a hasher with default parameters.</summary>
    public Pbkdf2PasswordHasher()
        : this(new Pbkdf2PasswordHasherOptions())
    {
    }

    /// <summary>Creates a hasher with the given parameters.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range (the message names every one).</exception>
    public Pbkdf2PasswordHasher(Pbkdf2PasswordHasherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Pbkdf2PasswordHasherOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        // A copy: parameters cannot change under a hasher that is in use.
        _options = new Pbkdf2PasswordHasherOptions { Iterations = options.Iterations, SaltLength = options.SaltLength, HashLength = options.HashLength };
    }

    /// <summary>Creates a hasher from DI options.</summary>
    public Pbkdf2PasswordHasher(IOptions<Pbkdf2PasswordHasherOptions> options)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <inheritdoc />
    public string HashPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(_options.SaltLength);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, _options.Iterations, HashAlgorithmName.SHA256, _options.HashLength);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{_options.Iterations}${Base64Url.EncodeToString(salt)}${Base64Url.EncodeToString(hash)}");
    }

    /// <inheritdoc />
    public PasswordVerificationOutcome VerifyPassword(string hashedPassword, string password)
    {
        if (password is null || !TryParse(hashedPassword, out var iterations, out var salt, out var expected))
        {
            return PasswordVerificationOutcome.Failed;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordVerificationOutcome.Failed;
        }

        return iterations < _options.Iterations || salt.Length < _options.SaltLength || expected.Length < _options.HashLength
            ? PasswordVerificationOutcome.SuccessRehashNeeded
            : PasswordVerificationOutcome.Success;
    }

    private static bool TryParse(string? text, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (text is null || text.Length > 512 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.AsSpan(Prefix.Length);
        var first = parts.IndexOf('$');
        if (first <= 0)
        {
            return false;
        }

        if (!int.TryParse(parts[..first], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations || iterations > MaxIterations)
        {
            return false;
        }

        var rest = parts[(first + 1)..];
        var second = rest.IndexOf('$');
        if (second <= 0 || rest[(second + 1)..].IsEmpty || rest[(second + 1)..].Contains('$'))
        {
            return false;
        }

        if (!TryDecode(rest[..second], out salt) || !TryDecode(rest[(second + 1)..], out hash))
        {
            return false;
        }

        return salt.Length is >= 8 and <= 64 && hash.Length is >= 16 and <= 64;
    }

    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (!Base64Url.IsValid(text, out var length) || length > 64)
        {
            return false;
        }

        var buffer = new byte[length];
        if (Base64Url.DecodeFromChars(text, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
