using System.Buffers;
using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// Validates compact JWS access tokens: strict base64url, header checks of RFC 8725, the key-bound algorithm, the signature,
/// then the claims (<c>JwtTokenReader.Claims.cs</c>). Works on one pooled buffer with <see cref="Utf8JsonReader"/>; the payload
/// is parsed only after the signature verified.
/// </summary>
internal sealed partial class JwtTokenReader
{
    private static readonly SearchValues<char> s_base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 32 };
    private const int MaxStackSignature = 1024;

    private readonly JwtKeySet _keys;
    private readonly string[] _issuers;
    private readonly string[] _audiences;
    private readonly byte[][] _issuersUtf8;
    private readonly byte[][] _audiencesUtf8;
    private readonly byte[][] _acceptedTypes;
    private readonly bool _requireType;
    private readonly bool _requireAudience;
    private readonly TimeSpan _skew;
    private readonly int _maxLength;
    private readonly string _scheme;
    private readonly string _nameType;
    private readonly string _roleType;

    public JwtTokenReader(JwtAuthenticationOptions options, JwtKeySet keys, string scheme)
    {
        _keys = keys;
        var issuers = new List<string>();
        if (!string.IsNullOrEmpty(options.Issuer))
        {
            issuers.Add(options.Issuer);
        }

        issuers.AddRange(options.ValidIssuers.Where(i => !string.IsNullOrEmpty(i)));
        _issuers = [.. issuers.Distinct(StringComparer.Ordinal)];
        var audiences = new List<string>();
        if ((options.Audience ?? options.Issuer) is { Length: > 0 } aud)
        {
            audiences.Add(aud);
        }

        audiences.AddRange(options.ValidAudiences.Where(a => !string.IsNullOrEmpty(a)));
        _audiences = [.. audiences.Distinct(StringComparer.Ordinal)];
        _issuersUtf8 = [.. _issuers.Select(Encoding.UTF8.GetBytes)];
        _audiencesUtf8 = [.. _audiences.Select(Encoding.UTF8.GetBytes)];
        _acceptedTypes = [.. options.AcceptedTokenTypes.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => Encoding.UTF8.GetBytes(StripApplication(t.Trim())))];
        _requireType = options.RequireTokenType;
        _requireAudience = options.RequireAudience;
        _skew = options.ClockSkew;
        _maxLength = options.MaxTokenLength;
        _scheme = scheme;
        _nameType = options.NameClaimType;
        _roleType = options.RoleClaimType;
    }

    /// <summary>Validates everything but the <c>jti</c> denylist.</summary>
    public TokenValidationError Read(ReadOnlySpan<char> token, DateTimeOffset now, out ClaimsPrincipal? principal, out string? tokenId, out DateTimeOffset expiresAt)
    {
        principal = null;
        tokenId = null;
        expiresAt = default;
        if (token.IsEmpty || token.Length > _maxLength)
        {
            return TokenValidationError.Malformed;
        }

        var span = token;
        var d1 = span.IndexOf('.');
        if (d1 <= 0)
        {
            return TokenValidationError.Malformed;
        }

        var rest = span[(d1 + 1)..].IndexOf('.');
        if (rest <= 0)
        {
            return TokenValidationError.Malformed;
        }

        var d2 = d1 + 1 + rest;
        var h = span[..d1];
        var p = span[(d1 + 1)..d2];
        var s = span[(d2 + 1)..];

        // Strictness first: the alphabet check also refuses a third '.', padding, whitespace and '+' '/'.
        if (s.IsEmpty || !IsStrictBase64Url(h) || !IsStrictBase64Url(p) || !IsStrictBase64Url(s))
        {
            return TokenValidationError.Malformed;
        }

        var hLen = Base64Url.GetMaxDecodedLength(h.Length);
        var pLen = Base64Url.GetMaxDecodedLength(p.Length);
        var sLen = Base64Url.GetMaxDecodedLength(s.Length);
        var rented = ArrayPool<byte>.Shared.Rent(span.Length + hLen + pLen + sLen);
        try
        {
            // The whole token as ASCII (every character passed the alphabet check): the signing input, and the segments decoded from bytes.
            var buffer = rented.AsSpan();
            var ascii = buffer[..span.Length];
            System.Text.Ascii.FromUtf16(span, ascii, out _);
            var input = ascii[..d2];
            var headerBytes = buffer.Slice(span.Length, hLen);
            var payloadBytes = buffer.Slice(span.Length + hLen, pLen);
            var signature = buffer.Slice(span.Length + hLen + pLen, sLen);
            if (Base64Url.DecodeFromUtf8(ascii[..d1], headerBytes, out _, out var hw) != OperationStatus.Done
                || Base64Url.DecodeFromUtf8(ascii[(d2 + 1)..], signature, out _, out var sw) != OperationStatus.Done)
            {
                return TokenValidationError.Malformed;
            }

            headerBytes = headerBytes[..hw];
            signature = signature[..sw];

            var error = ReadHeader(headerBytes, out var key);
            if (error != TokenValidationError.None)
            {
                return error;
            }

            bool verified;
            try
            {
                verified = key!.Verify(input, signature);
            }
            catch (CryptographicException)
            {
                verified = false;
            }

            if (!verified)
            {
                return TokenValidationError.BadSignature;
            }

            if (Base64Url.DecodeFromUtf8(ascii[(d1 + 1)..d2], payloadBytes, out _, out var pw) != OperationStatus.Done)
            {
                return TokenValidationError.Malformed;
            }

            return ReadPayload(payloadBytes[..pw], now, out principal, out tokenId, out expiresAt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private TokenValidationError ReadHeader(ReadOnlySpan<byte> json, out JwtSigningKey? key)
    {
        key = null;
        JwtAlgorithm? alg = null;
        var algPresent = false;
        var algRefused = false;
        ReadOnlySpan<byte> kid = default;
        var kidPresent = false;
        var typPresent = false;
        var typOk = false;
        var seen = 0;
        List<string>? others = null;
        try
        {
            var reader = new Utf8JsonReader(json, s_readerOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return TokenValidationError.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Dispatch on the raw bytes of the name; an escaped name ("\u0061lg") is unescaped first and means the same.
                var bit = reader.ValueIsEscaped ? HeaderName(Encoding.UTF8.GetBytes(reader.GetString()!)) : HeaderName(reader.ValueSpan);
                if (bit < 0)
                {
                    // No extension is understood (crit), and keys are never taken from the token itself (RFC 8725 §3.10).
                    return TokenValidationError.Malformed;
                }

                if (bit == 0)
                {
                    var name = reader.GetString()!;
                    others ??= new List<string>(4);
                    if (others.Contains(name))
                    {
                        return TokenValidationError.Malformed;
                    }

                    others.Add(name);
                    reader.Skip();
                    continue;
                }

                if ((seen & bit) != 0)
                {
                    return TokenValidationError.Malformed;
                }

                seen |= bit;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return TokenValidationError.Malformed;
                }

                switch (bit)
                {
                    case 1:
                        algPresent = true;
                        ReadOnlySpan<byte> algName = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                        foreach (var a in JwtAlgorithm.All)
                        {
                            if (algName.SequenceEqual(a.Utf8Name))
                            {
                                alg = a;
                                break;
                            }
                        }

                        algRefused = alg is null;
                        break;
                    case 2:
                        kidPresent = true;
                        kid = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                        break;
                    default:
                        typPresent = true;
                        typOk = IsAcceptedType(reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan);
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read())
            {
                return TokenValidationError.Malformed;
            }
        }
        catch (JsonException)
        {
            return TokenValidationError.Malformed;
        }
        catch (InvalidOperationException)
        {
            return TokenValidationError.Malformed;
        }

        if (!algPresent)
        {
            return TokenValidationError.Malformed;
        }

        if (algRefused)
        {
            // "none" in any case, or an algorithm no key here is bound to.
            return TokenValidationError.AlgorithmNotAllowed;
        }

        var keys = _keys.Keys;
        if (kidPresent)
        {
            var kidFound = false;
            foreach (var k in keys)
            {
                if (kid.SequenceEqual(k.KeyIdUtf8))
                {
                    kidFound = true;
                    if (ReferenceEquals(k.Alg, alg))
                    {
                        key = k;
                        break;
                    }
                }
            }

            if (key is null)
            {
                return kidFound ? TokenValidationError.AlgorithmNotAllowed : TokenValidationError.UnknownKey;
            }
        }
        else
        {
            // No kid: accepted only when exactly one key is bound to the header's algorithm.
            var count = 0;
            foreach (var k in keys)
            {
                if (ReferenceEquals(k.Alg, alg))
                {
                    key = k;
                    count++;
                }
            }

            if (count != 1)
            {
                key = null;
                return count == 0 ? TokenValidationError.AlgorithmNotAllowed : TokenValidationError.UnknownKey;
            }
        }

        if (typPresent ? !typOk : _requireType)
        {
            return TokenValidationError.BadType;
        }

        return TokenValidationError.None;
    }

    private const int AlgCode = 'a' | ('l' << 8) | ('g' << 16);
    private const int KidCode = 'k' | ('i' << 8) | ('d' << 16);
    private const int TypCode = 't' | ('y' << 8) | ('p' << 16);
    private const int JwkCode = 'j' | ('w' << 8) | ('k' << 16);
    private const int JkuCode = 'j' | ('k' << 8) | ('u' << 16);
    private const int X5uCode = 'x' | ('5' << 8) | ('u' << 16);
    private const int X5cCode = 'x' | ('5' << 8) | ('c' << 16);

    /// <summary>1 <c>alg</c>, 2 <c>kid</c>, 4 <c>typ</c>; -1 for a member that refuses the token (<c>crit</c>, <c>jwk</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>); 0 for any other.</summary>
    private static int HeaderName(ReadOnlySpan<byte> name)
    {
        if (name.Length == 3)
        {
            switch (name[0] | (name[1] << 8) | (name[2] << 16))
            {
                case AlgCode: return 1;
                case KidCode: return 2;
                case TypCode: return 4;
                case JwkCode or JkuCode or X5uCode or X5cCode: return -1;
            }
        }

        return name.SequenceEqual("crit"u8) ? -1 : 0;
    }

    private bool IsAcceptedType(ReadOnlySpan<byte> typ)
    {
        // The type exactly as configured (what issuers write) needs no case folding.
        foreach (var t in _acceptedTypes)
        {
            if (typ.SequenceEqual(t))
            {
                return true;
            }
        }

        if (typ.Length > 12 && System.Text.Ascii.EqualsIgnoreCase(typ[..12], "application/"u8))
        {
            typ = typ[12..];
        }

        foreach (var t in _acceptedTypes)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(typ, t))
            {
                return true;
            }
        }

        return false;
    }

    private static string StripApplication(string type) =>
        type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type[12..] : type;

    /// <summary>Base64url as RFC 7515 §2 has it: the URL alphabet, no padding, no whitespace, and canonical (unused bits zero).</summary>
    internal static bool IsStrictBase64Url(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty || segment.IndexOfAnyExcept(s_base64Url) >= 0)
        {
            return false;
        }

        var rem = segment.Length & 3;
        if (rem == 1)
        {
            return false;
        }

        if (rem == 0)
        {
            return true;
        }

        var last = Value(segment[^1]);
        return rem == 2 ? (last & 0x0F) == 0 : (last & 0x03) == 0;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
