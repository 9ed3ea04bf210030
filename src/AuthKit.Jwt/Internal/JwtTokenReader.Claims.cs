using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using static AuthKit.Jwt.Internal.JwtClaimNames;

namespace AuthKit.Jwt.Internal;

/// <summary>The payload: one <see cref="Utf8JsonReader"/> pass that checks the registered claims and collects every claim of the principal.</summary>
internal sealed partial class JwtTokenReader
{
    private static readonly DateTimeOffset s_maxDate = DateTimeOffset.MaxValue;

    private const long MinUnixSeconds = -62135596800;
    private const long MaxUnixSeconds = 253402300799;

    private TokenValidationError ReadPayload(ReadOnlySpan<byte> json, DateTimeOffset now, out ClaimsPrincipal? principal, out string? tokenId, out DateTimeOffset expiresAt)
    {
        principal = null;
        tokenId = null;
        expiresAt = default;
        var pending = PendingClaims.Rent();
        string? issuer = null;
        var audienceOk = false;
        var seen = 0;
        long exp = 0;
        long nbf = 0;
        try
        {
            var reader = new Utf8JsonReader(json, s_readerOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return TokenValidationError.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Registered names dispatch on their raw bytes and are checked for duplicates with one bit each; other names are compared as strings.
                int bit;
                string? name;
                if (reader.ValueIsEscaped)
                {
                    bit = Known(reader.GetString()!, out name);
                }
                else
                {
                    bit = Known(reader.ValueSpan, out name);
                    name ??= reader.GetString()!;
                }

                if (bit != 0)
                {
                    if ((seen & bit) != 0)
                    {
                        return TokenValidationError.Malformed;
                    }

                    seen |= bit;
                }
                else if (!pending.AddName(name))
                {
                    return TokenValidationError.Malformed;
                }

                if (!reader.Read())
                {
                    return TokenValidationError.Malformed;
                }

                switch (bit)
                {
                    case IssBit:
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return TokenValidationError.Malformed;
                        }

                        issuer = ReadConfigured(ref reader, _issuers, _issuersUtf8);
                        pending.Add(Iss, issuer, ClaimValueTypes.String);
                        break;
                    case SubBit:
                    case JtiBit:
                        {
                            if (reader.TokenType != JsonTokenType.String)
                            {
                                return TokenValidationError.Malformed;
                            }

                            var value = reader.GetString()!;
                            if (bit == JtiBit)
                            {
                                tokenId = value;
                            }

                            pending.Add(name, value, ClaimValueTypes.String);
                            break;
                        }

                    case AudBit:
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var value = ReadConfigured(ref reader, _audiences, _audiencesUtf8);
                            audienceOk = IsAcceptedAudience(value);
                            pending.Add(Aud, value, ClaimValueTypes.String);
                        }
                        else if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            {
                                if (reader.TokenType != JsonTokenType.String)
                                {
                                    return TokenValidationError.Malformed;
                                }

                                var value = ReadConfigured(ref reader, _audiences, _audiencesUtf8);
                                audienceOk |= IsAcceptedAudience(value);
                                pending.Add(Aud, value, ClaimValueTypes.String);
                            }
                        }
                        else
                        {
                            return TokenValidationError.Malformed;
                        }

                        break;
                    case ExpBit:
                    case NbfBit:
                    case IatBit:
                        {
                            if (reader.TokenType != JsonTokenType.Number || !TryGetNumericDate(ref reader, out var seconds))
                            {
                                return TokenValidationError.Malformed;
                            }

                            if (bit == ExpBit)
                            {
                                exp = seconds;
                            }
                            else if (bit == NbfBit)
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
            if ((seen & ExpBit) == 0)
            {
                return TokenValidationError.Malformed;
            }

            expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
            if (now >= Add(expiresAt, _skew))
            {
                return TokenValidationError.Expired;
            }

            if ((seen & NbfBit) != 0 && DateTimeOffset.FromUnixTimeSeconds(nbf) > Add(now, _skew))
            {
                return TokenValidationError.NotYetValid;
            }

            if (issuer is null || !IsAcceptedIssuer(issuer))
            {
                return TokenValidationError.BadIssuer;
            }

            if ((seen & AudBit) != 0 ? !audienceOk : _requireAudience)
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
            pending.Return();
        }
    }

    /// <summary>A string value; one of the configured strings (no allocation) when its bytes are one of theirs.</summary>
    private static string ReadConfigured(ref Utf8JsonReader reader, string[] configured, byte[][] configuredUtf8)
    {
        if (!reader.ValueIsEscaped)
        {
            var raw = reader.ValueSpan;
            for (var i = 0; i < configuredUtf8.Length; i++)
            {
                if (raw.SequenceEqual(configuredUtf8[i]))
                {
                    return configured[i];
                }
            }
        }

        return reader.GetString()!;
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
                    pending.Add(name, Encoding.UTF8.GetString(json[start..end]), isArray ? JsonArrayValueType : JsonValueType);
                    return true;
                }

            default:
                return false;
        }
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

    internal struct PendingClaim
    {
        public string Type;
        public string Value;
        public string ValueType;
    }

    /// <summary>
    /// Claims read before the issuer is known (claims carry it), and the names seen that have no bit of their own (duplicates are
    /// refused). The arrays are kept per thread and reused: nothing in them is secret, so returning only drops the references.
    /// </summary>
    internal struct PendingClaims
    {
        private const int KeptLength = 64;

        [ThreadStatic]
        private static PendingClaim[]? t_items;

        [ThreadStatic]
        private static string[]? t_names;

        public PendingClaim[] Items;
        public int Count;

        private string[] _names;
        private int _nameCount;
        private HashSet<string>? _nameSet;

        public static PendingClaims Rent()
        {
            var pending = new PendingClaims
            {
                Items = t_items ?? new PendingClaim[16],
                _names = t_names ?? new string[16],
            };
            t_items = null;
            t_names = null;
            return pending;
        }

        public bool AddName(string name)
        {
            if (_nameSet is not null)
            {
                return _nameSet.Add(name);
            }

            for (var i = 0; i < _nameCount; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (_nameCount == _names.Length)
            {
                // Many names: a set from here on, so a token of thousands of names costs O(n), not O(n²).
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
                Array.Resize(ref Items, Items.Length * 2);
            }

            Items[Count++] = new PendingClaim { Type = type, Value = value, ValueType = valueType };
        }

        public void Return()
        {
            if (Items is null)
            {
                return;
            }

            Array.Clear(Items, 0, Count);
            Array.Clear(_names, 0, _nameCount);
            if (Items.Length <= KeptLength)
            {
                t_items = Items;
            }

            t_names = _names;
            Items = null!;
            _names = null!;
        }
    }
}
