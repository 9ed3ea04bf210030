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
        // Claims carry the issuer: when iss is the first member (as AuthKit and most issuers write it), they go straight into the identity;
        // otherwise they wait in the per-thread pending list until the end of the payload.
        var sink = default(ClaimSink);
        string? issuer = null;
        long lastDate = 0;
        string? lastDateText = null;
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
                else if (!sink.Pending.AddName(name))
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
                        if (sink.Pending.IsEmpty)
                        {
                            // No claim before this one (names without a bit of their own have none in seen, so seen cannot tell).
                            sink.Start(new ClaimsIdentity(null, _scheme, _nameType, _roleType), issuer);
                        }

                        sink.Add(Iss, issuer, ClaimValueTypes.String);
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

                            sink.Add(name, value, ClaimValueTypes.String);
                            break;
                        }

                    case AudBit:
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var value = ReadConfigured(ref reader, _audiences, _audiencesUtf8);
                            audienceOk = IsAcceptedAudience(value);
                            sink.Add(Aud, value, ClaimValueTypes.String);
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
                                sink.Add(Aud, value, ClaimValueTypes.String);
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

                            // iat and nbf are most often the same second: one string for both.
                            if (lastDateText is null || seconds != lastDate)
                            {
                                lastDate = seconds;
                                lastDateText = seconds.ToString(CultureInfo.InvariantCulture);
                            }

                            sink.Add(name, lastDateText, ClaimValueTypes.Integer64);
                            break;
                        }

                    default:
                        if (!AddValue(ref reader, json, name, ref sink, inArray: false))
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

            principal = new ClaimsPrincipal(sink.Identity ?? sink.Pending.ToIdentity(new ClaimsIdentity(null, _scheme, _nameType, _roleType), issuer));
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
            sink.Pending.Return();
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

    private static bool AddValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string name, ref ClaimSink sink, bool inArray)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                sink.Add(name, reader.GetString()!, ClaimValueTypes.String);
                return true;
            case JsonTokenType.Number:
                sink.Add(name, Encoding.UTF8.GetString(reader.ValueSpan), reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double);
                return true;
            case JsonTokenType.True:
                sink.Add(name, "true", ClaimValueTypes.Boolean);
                return true;
            case JsonTokenType.False:
                sink.Add(name, "false", ClaimValueTypes.Boolean);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartArray when !inArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!AddValue(ref reader, json, name, ref sink, inArray: true))
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
                    sink.Add(name, Encoding.UTF8.GetString(json[start..end]), isArray ? JsonArrayValueType : JsonValueType);
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

    /// <summary>
    /// Where the claims of the payload go, in their order: into the identity once it exists (<c>iss</c> was the first member, so every claim
    /// can carry its issuer when it is created), into <see cref="Pending"/> until the end of the payload otherwise.
    /// </summary>
    internal struct ClaimSink
    {
        public ClaimsIdentity? Identity;
        public string? Issuer;
        public PendingClaims Pending;

        public void Start(ClaimsIdentity identity, string issuer)
        {
            Identity = identity;
            Issuer = issuer;
        }

        public void Add(string type, string value, string valueType)
        {
            if (Identity is { } identity)
            {
                // Created with their identity as subject, claims are added as they are (others would be cloned by ClaimsIdentity).
                identity.AddClaim(new Claim(type, value, valueType, Issuer, Issuer, identity));
            }
            else
            {
                Pending.Add(type, value, valueType);
            }
        }
    }

    internal struct PendingClaim
    {
        public string Type;
        public string Value;
        public string ValueType;
    }

    /// <summary>
    /// Claims read before the issuer is known (claims carry it), and the names seen that have no bit of their own (duplicates are
    /// refused). Each array is taken on first use, kept per thread and reused: nothing in them is secret, so returning only drops the references.
    /// </summary>
    internal struct PendingClaims
    {
        private const int KeptLength = 64;

        [ThreadStatic]
        private static PendingClaim[]? t_items;

        [ThreadStatic]
        private static string[]? t_names;

        private PendingClaim[]? _items;
        private int _count;

        /// <summary>Whether no claim is pending.</summary>
        public readonly bool IsEmpty => _count == 0;

        private string[]? _names;
        private int _nameCount;
        private HashSet<string>? _nameSet;

        public bool AddName(string name)
        {
            if (_nameSet is not null)
            {
                return _nameSet.Add(name);
            }

            if (_names is null)
            {
                _names = t_names ?? new string[16];
                t_names = null;
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
            if (_items is null)
            {
                _items = t_items ?? new PendingClaim[16];
                t_items = null;
            }
            else if (_count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count++] = new PendingClaim { Type = type, Value = value, ValueType = valueType };
        }

        /// <summary>Adds the pending claims, in order, to <paramref name="identity"/>, each with <paramref name="issuer"/>.</summary>
        public readonly ClaimsIdentity ToIdentity(ClaimsIdentity identity, string issuer)
        {
            for (var i = 0; i < _count; i++)
            {
                ref var c = ref _items![i];
                identity.AddClaim(new Claim(c.Type, c.Value, c.ValueType, issuer, issuer, identity));
            }

            return identity;
        }

        public void Return()
        {
            if (_items is not null)
            {
                Array.Clear(_items, 0, _count);
                if (_items.Length <= KeptLength)
                {
                    t_items = _items;
                }

                _items = null;
                _count = 0;
            }

            if (_names is not null)
            {
                Array.Clear(_names, 0, _nameCount);
                t_names = _names;
                _names = null;
                _nameCount = 0;
            }
        }
    }
}
