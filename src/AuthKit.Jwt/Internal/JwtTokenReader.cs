using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// Validates compact JWS access tokens: strict base64url, header checks of RFC 8725, the key-bound algorithm, the signature,
/// then the claims. Works on pooled buffers with <see cref="Utf8JsonReader"/>; the payload is parsed only after the signature verified.
/// </summary>
internal sealed class JwtTokenReader
{
    private static readonly SearchValues<char> s_base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 32 };
    private static readonly DateTimeOffset s_maxDate = DateTimeOffset.MaxValue;

    private const long MinUnixSeconds = -62135596800;
    private const long MaxUnixSeconds = 253402300799;
    private const int MaxStackSignature = 1024;

    private readonly JwtKeySet _keys;
    private readonly string[] _issuers;
    private readonly string[] _audiences;
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
    public TokenValidationError Read(string? token, DateTimeOffset now, out ClaimsPrincipal? principal, out string? tokenId, out DateTimeOffset expiresAt)
    {
        principal = null;
        tokenId = null;
        expiresAt = default;
        if (string.IsNullOrEmpty(token) || token.Length > _maxLength)
        {
            return TokenValidationError.Malformed;
        }

        var span = token.AsSpan();
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
        var rented = ArrayPool<byte>.Shared.Rent(d2 + hLen + pLen + sLen);
        try
        {
            var buffer = rented.AsSpan();
            var input = buffer[..d2];
            System.Text.Ascii.FromUtf16(span[..d2], input, out _);
            var headerBytes = buffer.Slice(d2, hLen);
            var payloadBytes = buffer.Slice(d2 + hLen, pLen);
            var signature = buffer.Slice(d2 + hLen + pLen, sLen);
            if (Base64Url.DecodeFromChars(h, headerBytes, out _, out var hw) != OperationStatus.Done
                || Base64Url.DecodeFromChars(s, signature, out _, out var sw) != OperationStatus.Done)
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

            if (Base64Url.DecodeFromChars(p, payloadBytes, out _, out var pw) != OperationStatus.Done)
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
                int bit;
                if (reader.ValueTextEquals("alg"u8))
                {
                    bit = 1;
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    bit = 2;
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    bit = 4;
                }
                else if (reader.ValueTextEquals("crit"u8) || reader.ValueTextEquals("jwk"u8) || reader.ValueTextEquals("jku"u8)
                    || reader.ValueTextEquals("x5u"u8) || reader.ValueTextEquals("x5c"u8))
                {
                    // No extension is understood (crit), and keys are never taken from the token itself (RFC 8725 §3.10).
                    return TokenValidationError.Malformed;
                }
                else
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
                        foreach (var a in JwtAlgorithm.All)
                        {
                            if (reader.ValueTextEquals(a.Utf8Name))
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

    private TokenValidationError ReadPayload(ReadOnlySpan<byte> json, DateTimeOffset now, out ClaimsPrincipal? principal, out string? tokenId, out DateTimeOffset expiresAt)
    {
        principal = null;
        tokenId = null;
        expiresAt = default;
        var pending = new PendingClaims();
        string? issuer = null;
        var audienceOk = false;
        var audiencePresent = false;
        long? exp = null;
        long? nbf = null;
        try
        {
            var reader = new Utf8JsonReader(json, s_readerOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return TokenValidationError.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = KnownName(ref reader) ?? reader.GetString()!;
                if (!pending.AddName(name))
                {
                    return TokenValidationError.Malformed;
                }

                if (!reader.Read())
                {
                    return TokenValidationError.Malformed;
                }

                switch (name)
                {
                    case JwtClaimNames.Iss:
                    case JwtClaimNames.Sub:
                    case JwtClaimNames.Jti:
                        {
                            if (reader.TokenType != JsonTokenType.String)
                            {
                                return TokenValidationError.Malformed;
                            }

                            var value = reader.GetString()!;
                            if (ReferenceEquals(name, JwtClaimNames.Iss))
                            {
                                issuer = value;
                            }
                            else if (ReferenceEquals(name, JwtClaimNames.Jti))
                            {
                                tokenId = value;
                            }

                            pending.Add(name, value, ClaimValueTypes.String);
                            break;
                        }

                    case JwtClaimNames.Aud:
                        audiencePresent = true;
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var value = reader.GetString()!;
                            audienceOk = IsAcceptedAudience(value);
                            pending.Add(name, value, ClaimValueTypes.String);
                        }
                        else if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            {
                                if (reader.TokenType != JsonTokenType.String)
                                {
                                    return TokenValidationError.Malformed;
                                }

                                var value = reader.GetString()!;
                                audienceOk |= IsAcceptedAudience(value);
                                pending.Add(name, value, ClaimValueTypes.String);
                            }
                        }
                        else
                        {
                            return TokenValidationError.Malformed;
                        }

                        break;
                    case JwtClaimNames.Exp:
                    case JwtClaimNames.Nbf:
                    case JwtClaimNames.Iat:
                        {
                            if (reader.TokenType != JsonTokenType.Number || !TryGetNumericDate(ref reader, out var seconds))
                            {
                                return TokenValidationError.Malformed;
                            }

                            if (ReferenceEquals(name, JwtClaimNames.Exp))
                            {
                                exp = seconds;
                            }
                            else if (ReferenceEquals(name, JwtClaimNames.Nbf))
                            {
                                nbf = seconds;
                            }

                            pending.Add(name, seconds.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
                            break;
                        }

                    default:
                        if (!AddValue(ref reader, json, name, ref pending, inArray: false))
                        {
                            return TokenValidationError.Malformed;
                        }

                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read())
            {
                return TokenValidationError.Malformed;
            }

            // An access token without an expiry is not one (RFC 9068 §2.2).
            if (exp is null)
            {
                return TokenValidationError.Malformed;
            }

            expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp.Value);
            if (now >= Add(expiresAt, _skew))
            {
                return TokenValidationError.Expired;
            }

            if (nbf is not null && DateTimeOffset.FromUnixTimeSeconds(nbf.Value) > Add(now, _skew))
            {
                return TokenValidationError.NotYetValid;
            }

            if (issuer is null || !IsAcceptedIssuer(issuer))
            {
                return TokenValidationError.BadIssuer;
            }

            if (audiencePresent ? !audienceOk : _requireAudience)
            {
                return TokenValidationError.BadAudience;
            }

            // Claims created with their identity as subject are added as they are; others would be cloned by ClaimsIdentity.
            var identity = new ClaimsIdentity(null, _scheme, _nameType, _roleType);
            for (var i = 0; i < pending.Count; i++)
            {
                ref var c = ref pending.Items[i];
                identity.AddClaim(new Claim(c.Type, c.Value, c.ValueType, issuer, issuer, identity));
            }

            principal = new ClaimsPrincipal(identity);
            return TokenValidationError.None;
        }
        catch (JsonException)
        {
            return TokenValidationError.Malformed;
        }
        catch (InvalidOperationException)
        {
            return TokenValidationError.Malformed;
        }
        finally
        {
            pending.Dispose();
        }
    }

    private static bool AddValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string name, ref PendingClaims pending, bool inArray)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                pending.Add(name, reader.GetString()!, ClaimValueTypes.String);
                return true;
            case JsonTokenType.Number:
                pending.Add(name, Encoding.UTF8.GetString(reader.ValueSpan), reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double);
                return true;
            case JsonTokenType.True:
                pending.Add(name, "true", ClaimValueTypes.Boolean);
                return true;
            case JsonTokenType.False:
                pending.Add(name, "false", ClaimValueTypes.Boolean);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartArray when !inArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!AddValue(ref reader, json, name, ref pending, inArray: true))
                    {
                        return false;
                    }
                }

                return reader.TokenType == JsonTokenType.EndArray;
            case JsonTokenType.StartArray:
            case JsonTokenType.StartObject:
                {
                    var isArray = reader.TokenType == JsonTokenType.StartArray;
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    pending.Add(name, Encoding.UTF8.GetString(json[start..end]), isArray ? JwtClaimNames.JsonArrayValueType : JwtClaimNames.JsonValueType);
                    return true;
                }

            default:
                return false;
        }
    }

    private static string? KnownName(ref Utf8JsonReader reader)
    {
        var len = reader.ValueIsEscaped ? -1 : reader.ValueSpan.Length;
        if (len == 3)
        {
            if (reader.ValueTextEquals(JwtClaimNames.IssUtf8))
            {
                return JwtClaimNames.Iss;
            }

            if (reader.ValueTextEquals(JwtClaimNames.SubUtf8))
            {
                return JwtClaimNames.Sub;
            }

            if (reader.ValueTextEquals(JwtClaimNames.AudUtf8))
            {
                return JwtClaimNames.Aud;
            }

            if (reader.ValueTextEquals(JwtClaimNames.ExpUtf8))
            {
                return JwtClaimNames.Exp;
            }

            if (reader.ValueTextEquals(JwtClaimNames.NbfUtf8))
            {
                return JwtClaimNames.Nbf;
            }

            if (reader.ValueTextEquals(JwtClaimNames.IatUtf8))
            {
                return JwtClaimNames.Iat;
            }

            if (reader.ValueTextEquals(JwtClaimNames.JtiUtf8))
            {
                return JwtClaimNames.Jti;
            }

            return null;
        }

        if (len < 0)
        {
            // An escaped name ("\u0065xp") still means the registered claim.
            var name = reader.GetString()!;
            return name switch
            {
                JwtClaimNames.Iss => JwtClaimNames.Iss,
                JwtClaimNames.Sub => JwtClaimNames.Sub,
                JwtClaimNames.Aud => JwtClaimNames.Aud,
                JwtClaimNames.Exp => JwtClaimNames.Exp,
                JwtClaimNames.Nbf => JwtClaimNames.Nbf,
                JwtClaimNames.Iat => JwtClaimNames.Iat,
                JwtClaimNames.Jti => JwtClaimNames.Jti,
                _ => name,
            };
        }

        if (reader.ValueTextEquals(JwtClaimNames.ScopeUtf8))
        {
            return JwtClaimNames.Scope;
        }

        if (reader.ValueTextEquals(JwtClaimNames.ClientIdUtf8))
        {
            return JwtClaimNames.ClientId;
        }

        if (reader.ValueTextEquals(JwtClaimNames.NameUtf8))
        {
            return JwtClaimNames.Name;
        }

        if (reader.ValueTextEquals(JwtClaimNames.RoleUtf8))
        {
            return JwtClaimNames.Role;
        }

        if (reader.ValueTextEquals(JwtClaimNames.EmailUtf8))
        {
            return JwtClaimNames.Email;
        }

        return null;
    }

    /// <summary>
    /// A NumericDate within what <see cref="DateTimeOffset"/> holds (years 1–9999); fractions are floored. Anything beyond is refused, never
    /// clamped: a clamped <c>exp</c> of <c>1e23</c> would be a token that never expires.
    /// </summary>
    private static bool TryGetNumericDate(ref Utf8JsonReader reader, out long seconds)
    {
        if (reader.TryGetInt64(out seconds))
        {
            return seconds is >= MinUnixSeconds and <= MaxUnixSeconds;
        }

        // Out of long's range (too many digits), or written with a fraction or an exponent.
        if (reader.TryGetDouble(out var d) && double.IsFinite(d))
        {
            var floor = Math.Floor(d);
            if (floor is >= MinUnixSeconds and <= MaxUnixSeconds)
            {
                seconds = (long)floor;
                return true;
            }
        }

        seconds = 0;
        return false;
    }

    private static DateTimeOffset Add(DateTimeOffset time, TimeSpan span) =>
        s_maxDate - time <= span ? s_maxDate : time + span;

    private bool IsAcceptedIssuer(string issuer)
    {
        foreach (var i in _issuers)
        {
            if (string.Equals(i, issuer, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsAcceptedAudience(string audience)
    {
        foreach (var a in _audiences)
        {
            if (string.Equals(a, audience, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsAcceptedType(ReadOnlySpan<byte> typ)
    {
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

    internal struct PendingClaim
    {
        public string Type;
        public string Value;
        public string ValueType;
    }

    /// <summary>Claims read before the issuer is known (claims carry it), and the member names seen (duplicates are refused).</summary>
    internal struct PendingClaims : IDisposable
    {
        private string[]? _names;
        private int _nameCount;
        private HashSet<string>? _nameSet;

        public PendingClaim[] Items;
        public int Count;

        public PendingClaims()
        {
            Items = ArrayPool<PendingClaim>.Shared.Rent(16);
            _names = ArrayPool<string>.Shared.Rent(16);
        }

        public bool AddName(string name)
        {
            if (_nameSet is not null)
            {
                return _nameSet.Add(name);
            }

            for (var i = 0; i < _nameCount; i++)
            {
                if (string.Equals(_names![i], name, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (_nameCount == _names!.Length)
            {
                _nameSet = new HashSet<string>(_names, StringComparer.Ordinal);
                return _nameSet.Add(name);
            }

            _names[_nameCount++] = name;
            return true;
        }

        public void Add(string type, string value, string valueType)
        {
            if (Count == Items.Length)
            {
                var bigger = ArrayPool<PendingClaim>.Shared.Rent(Items.Length * 2);
                Items.AsSpan(0, Count).CopyTo(bigger);
                ArrayPool<PendingClaim>.Shared.Return(Items, clearArray: true);
                Items = bigger;
            }

            Items[Count++] = new PendingClaim { Type = type, Value = value, ValueType = valueType };
        }

        public void Dispose()
        {
            if (Items is not null)
            {
                ArrayPool<PendingClaim>.Shared.Return(Items, clearArray: true);
                Items = null!;
            }

            if (_names is not null)
            {
                ArrayPool<string>.Shared.Return(_names, clearArray: true);
                _names = null;
            }
        }
    }
}
