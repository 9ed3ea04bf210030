using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace AuthKit.Cookies.Internal;

/// <summary>
/// Signs cookie values with the key ring (HMAC-SHA256 with a key derived for one purpose), so a forged or altered value is
/// recognised before it is used.
/// </summary>
/// <remarks>
/// <para>A signed value reads <c>{value}~{keyId}~{mac}</c> (the MAC base64url). The key ID travels with the value, so keys
/// rotate: the active key signs, every key still in the ring verifies. A value signed for one purpose never verifies for another.</para>
/// <para>Signing is integrity, not secrecy: the value stays readable. Put only identifiers in cookies, never user data.</para>
/// </remarks>
internal sealed class AuthKitCookieSigner
{
    /// <summary>The separator between the value, the key ID and the MAC (never produced by base64url or by key IDs).</summary>
    public const char Separator = '~';

    private const int MacChars = 43;
    private const int StackLimit = 512;

    private readonly IAuthKitKeyRing _keys;

    /// <summary>Creates a signer for one purpose (for example <c>AuthKit.Sessions.Cookie</c>).</summary>
    public AuthKitCookieSigner(IAuthKitKeyRing keyRing, string purpose)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        _keys = keyRing.ForPurpose(purpose);
        Purpose = purpose;
    }

    /// <summary>The purpose the keys are derived for.</summary>
    public string Purpose { get; }

    /// <summary>Signs <paramref name="value"/> with the active key.</summary>
    public string Sign(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var key = _keys.ActiveKey;
        Span<byte> mac = stackalloc byte[AuthKitKey.MacLength];
        ComputeMac(key, value, mac);
        Span<char> macChars = stackalloc char[MacChars];
        Base64Url.EncodeToChars(mac, macChars);
        return string.Concat(value, "~", key.KeyId, "~", new string(macChars));
    }

    /// <summary>Checks a signed value and returns the value inside it.</summary>
    /// <returns><see langword="false"/> for a missing, unsigned, altered value, or one signed by a key no longer in the ring.</returns>
    public bool TryUnprotect([NotNullWhen(true)] string? signedValue, [NotNullWhen(true)] out string? value)
    {
        if (signedValue is null || !TryUnprotect(signedValue.AsSpan(), out var payload))
        {
            value = null;
            return false;
        }

        value = payload.ToString();
        return true;
    }

    /// <summary>Checks a signed value and returns the value inside it as a slice of <paramref name="signedValue"/> (no allocation).</summary>
    /// <returns><see langword="false"/> for an empty, unsigned, altered value, or one signed by a key no longer in the ring.</returns>
    public bool TryUnprotect(ReadOnlySpan<char> signedValue, out ReadOnlySpan<char> value)
    {
        value = default;
        var lastSep = signedValue.LastIndexOf(Separator);
        if (lastSep <= 0 || signedValue.Length - lastSep - 1 != MacChars)
        {
            return false;
        }

        var head = signedValue[..lastSep];
        var keySep = head.LastIndexOf(Separator);
        if (keySep < 0)
        {
            return false;
        }

        var keyId = head[(keySep + 1)..];
        var payload = head[..keySep];
        if (!TryFindKey(keyId, out var key))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[AuthKitKey.MacLength];
        if (Base64Url.DecodeFromChars(signedValue[(lastSep + 1)..], mac, out _, out var written) != System.Buffers.OperationStatus.Done || written != AuthKitKey.MacLength)
        {
            return false;
        }

        if (!VerifyMac(key, payload, mac))
        {
            return false;
        }

        value = payload;
        return true;
    }

    private bool TryFindKey(ReadOnlySpan<char> keyId, [NotNullWhen(true)] out AuthKitKey? key)
    {
        // The active key signs nearly every cookie: compare before allocating a string for the lookup.
        var active = _keys.ActiveKey;
        if (keyId.SequenceEqual(active.KeyId))
        {
            key = active;
            return true;
        }

        if (keyId.IsEmpty || keyId.Length > 64)
        {
            key = null;
            return false;
        }

        return _keys.TryGetKey(keyId.ToString(), out key);
    }

    private static void ComputeMac(AuthKitKey key, ReadOnlySpan<char> value, Span<byte> mac)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= StackLimit)
        {
            Span<byte> utf8 = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(value, utf8);
            key.ComputeMac(utf8[..n], mac);
        }
        else
        {
            key.ComputeMac(Encoding.UTF8.GetBytes(value.ToArray()), mac);
        }
    }

    private static bool VerifyMac(AuthKitKey key, ReadOnlySpan<char> value, ReadOnlySpan<byte> mac)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= StackLimit)
        {
            Span<byte> utf8 = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(value, utf8);
            return key.VerifyMac(utf8[..n], mac);
        }

        return key.VerifyMac(Encoding.UTF8.GetBytes(value.ToArray()), mac);
    }
}
