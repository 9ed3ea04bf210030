using System.Security.Cryptography;
using System.Text;

namespace AuthKit.Internal.Keys;

/// <summary>Creates key material for an algorithm, and seals it for the store (AES-256-GCM under the key-encryption key, or plain base64).</summary>
internal static class ManagedKeyMaterial
{
    private const string PlainPrefix = "plain:";
    private const string SealedPrefix = "aesgcm:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Whether AuthKit can create keys for <paramref name="algorithm"/>.</summary>
    public static bool IsSupported(string? algorithm) => algorithm is "HS256" or "HS384" or "HS512"
        or "ES256" or "ES384" or "ES512" or "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512";

    /// <summary>A new secret (HMAC) or PKCS#8 private key (RSA, ECDSA) from the CSPRNG.</summary>
    public static byte[] Create(string algorithm)
    {
        switch (algorithm)
        {
            case "HS256":
                return RandomNumberGenerator.GetBytes(32);
            case "HS384":
                return RandomNumberGenerator.GetBytes(48);
            case "HS512":
                return RandomNumberGenerator.GetBytes(64);
            case "ES256" or "ES384" or "ES512":
                using (var ecdsa = ECDsa.Create(algorithm switch
                {
                    "ES256" => ECCurve.NamedCurves.nistP256,
                    "ES384" => ECCurve.NamedCurves.nistP384,
                    _ => ECCurve.NamedCurves.nistP521,
                }))
                {
                    return ecdsa.ExportPkcs8PrivateKey();
                }

            case "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512":
                using (var rsa = RSA.Create(2048))
                {
                    return rsa.ExportPkcs8PrivateKey();
                }

            default:
                throw new ArgumentException($"AuthKit cannot create '{algorithm}' keys.", nameof(algorithm));
        }
    }

    public static string Seal(byte[] material, byte[]? keyEncryptionKey, string associatedData)
    {
        if (keyEncryptionKey is null)
        {
            return PlainPrefix + Convert.ToBase64String(material);
        }

        var output = new byte[NonceSize + material.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keyEncryptionKey, TagSize);
        aes.Encrypt(nonce, material, output.AsSpan(NonceSize, material.Length), output.AsSpan(NonceSize + material.Length), Encoding.UTF8.GetBytes(associatedData));
        return SealedPrefix + Convert.ToBase64String(output);
    }

    /// <summary>Opens stored material; <see langword="null"/> with <paramref name="error"/> naming the setting to fix when it cannot.</summary>
    public static byte[]? Open(string text, byte[]? keyEncryptionKey, string associatedData, out string? error)
    {
        error = null;
        try
        {
            if (text.StartsWith(PlainPrefix, StringComparison.Ordinal))
            {
                return Convert.FromBase64String(text[PlainPrefix.Length..]);
            }

            if (!text.StartsWith(SealedPrefix, StringComparison.Ordinal))
            {
                error = "a key's material has an unknown format (written by a newer AuthKit?)";
                return null;
            }

            if (keyEncryptionKey is null)
            {
                error = "the stored keys are encrypted, but AuthKit:ManagedKeys:KeyEncryptionKey is not set here. Set it to the value the other instances use";
                return null;
            }

            var sealedBytes = Convert.FromBase64String(text[SealedPrefix.Length..]);
            if (sealedBytes.Length <= NonceSize + TagSize)
            {
                error = "a key's material is truncated";
                return null;
            }

            var length = sealedBytes.Length - NonceSize - TagSize;
            var material = new byte[length];
            using var aes = new AesGcm(keyEncryptionKey, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), material, Encoding.UTF8.GetBytes(associatedData));
            return material;
        }
        catch (FormatException)
        {
            error = "a key's material is not base64";
        }
        catch (AuthenticationTagMismatchException)
        {
            error = "the stored keys do not open with AuthKit:ManagedKeys:KeyEncryptionKey. Set it to the value the other instances use (the one the keys were created with)";
        }
        catch (CryptographicException)
        {
            error = "the stored keys do not open with AuthKit:ManagedKeys:KeyEncryptionKey. Set it to the value the other instances use (the one the keys were created with)";
        }

        return null;
    }
}
