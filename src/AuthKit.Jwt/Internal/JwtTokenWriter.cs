using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthKit.Jwt.Internal;

/// <summary>Writes signed access tokens: the header is encoded once per key, the payload with a reused <see cref="Utf8JsonWriter"/>.</summary>
internal sealed class JwtTokenWriter
{
    [ThreadStatic]
    private static PayloadBuffer? t_buffer;

    private const int TokenIdBytes = 16;
    private const int RandomBlockSize = 512;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomOffset;

    private readonly JwtKeySet _keys;
    private readonly string _issuer;
    private readonly string _roleType;

    public JwtTokenWriter(JwtAuthenticationOptions options, JwtKeySet keys)
    {
        _keys = keys;
        _issuer = options.Issuer ?? string.Empty;
        _roleType = options.RoleClaimType;
    }

    /// <summary>
    /// A 128-bit random <c>jti</c>, base64url. The bytes come from the OS CSPRNG, fetched <see cref="RandomBlockSize"/> at a time into a per-thread
    /// block (one <see cref="RandomNumberGenerator.Fill"/> per 32 tokens instead of one per token, which was a third of an issue); each 16 bytes
    /// are handed out once, then zeroed, and the block is refilled when used up.
    /// </summary>
    public static string NewTokenId()
    {
        var block = t_random;
        var offset = t_randomOffset;
        if (block is null || offset > RandomBlockSize - TokenIdBytes)
        {
            block = t_random ??= new byte[RandomBlockSize];
            RandomNumberGenerator.Fill(block);
            offset = 0;
        }

        var bytes = block.AsSpan(offset, TokenIdBytes);
        t_randomOffset = offset + TokenIdBytes;
        var id = Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return id;
    }

    /// <summary>The subject of a principal: its <c>sub</c> claim, else its <see cref="ClaimTypes.NameIdentifier"/>.</summary>
    public static string? GetSubject(ClaimsPrincipal principal) =>
        principal.FindFirst(JwtClaimNames.Sub)?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;

    public string Write(ClaimsPrincipal principal, string subject, string? audience, string? scope, DateTimeOffset now, DateTimeOffset expires, string tokenId)
    {
        var key = _keys.Active ?? throw new InvalidOperationException(
            "AuthKit.Jwt has no key that can sign: configure a secret or private key (AuthKit:Jwt:Keys) that is not retired, or set ActiveKeyId.");
        var state = t_buffer ??= new PayloadBuffer();
        state.Buffer.ResetWrittenCount();
        var writer = state.Writer;
        writer.Reset(state.Buffer);
        writer.WriteStartObject();
        writer.WriteString(JwtClaimNames.IssUtf8, _issuer);
        writer.WriteString(JwtClaimNames.SubUtf8, subject);
        if (!string.IsNullOrEmpty(audience))
        {
            writer.WriteString(JwtClaimNames.AudUtf8, audience);
        }

        writer.WriteNumber(JwtClaimNames.ExpUtf8, expires.ToUnixTimeSeconds());
        var nowSeconds = now.ToUnixTimeSeconds();
        writer.WriteNumber(JwtClaimNames.NbfUtf8, nowSeconds);
        writer.WriteNumber(JwtClaimNames.IatUtf8, nowSeconds);
        writer.WriteString(JwtClaimNames.JtiUtf8, tokenId);
        if (!string.IsNullOrEmpty(scope))
        {
            writer.WriteString(JwtClaimNames.ScopeUtf8, scope);
        }

        WriteClaims(writer, principal, skipScope: !string.IsNullOrEmpty(scope));
        writer.WriteEndObject();
        writer.Flush();
        var payload = state.Buffer.WrittenSpan;

        var header = _keys.EncodedHeader;
        var payloadChars = Base64Url.GetEncodedLength(payload.Length);
        var signatureChars = Base64Url.GetEncodedLength(key.SignatureSize);
        var inputLength = header.Length + 1 + payloadChars;
        var total = inputLength + 1 + signatureChars;
        var rented = ArrayPool<byte>.Shared.Rent(total + key.SignatureSize);
        try
        {
            var buffer = rented.AsSpan();
            header.CopyTo(buffer);
            buffer[header.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, buffer[(header.Length + 1)..], out _, out var written);
            var signature = buffer.Slice(total, key.SignatureSize);
            var n = key.Sign(buffer[..inputLength], signature);
            buffer[inputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature[..n], buffer[(inputLength + 1)..], out _, out var sigWritten);
            return Encoding.ASCII.GetString(buffer[..(inputLength + 1 + sigWritten)]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void WriteClaims(Utf8JsonWriter writer, ClaimsPrincipal principal, bool skipScope)
    {
        var claims = new List<(string Type, Claim Claim)>();
        foreach (var claim in principal.Claims)
        {
            var type = OutboundType(claim.Type);
            if (type is null || (skipScope && type == JwtClaimNames.Scope))
            {
                continue;
            }

            claims.Add((type, claim));
        }

        for (var i = 0; i < claims.Count; i++)
        {
            var type = claims[i].Type;
            var first = true;
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(claims[j].Type, type, StringComparison.Ordinal))
                {
                    first = false;
                    break;
                }
            }

            if (!first)
            {
                continue;
            }

            var count = 0;
            for (var j = i; j < claims.Count; j++)
            {
                if (string.Equals(claims[j].Type, type, StringComparison.Ordinal))
                {
                    count++;
                }
            }

            writer.WritePropertyName(type);
            if (count == 1)
            {
                WriteValue(writer, claims[i].Claim);
                continue;
            }

            writer.WriteStartArray();
            for (var j = i; j < claims.Count; j++)
            {
                if (string.Equals(claims[j].Type, type, StringComparison.Ordinal))
                {
                    WriteValue(writer, claims[j].Claim);
                }
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>The JWT name of a claim type, or <see langword="null"/> for the claims the token service writes itself.</summary>
    private string? OutboundType(string type) => type switch
    {
        JwtClaimNames.Iss or JwtClaimNames.Sub or JwtClaimNames.Aud or JwtClaimNames.Exp or JwtClaimNames.Nbf or JwtClaimNames.Iat or JwtClaimNames.Jti => null,
        ClaimTypes.NameIdentifier => null,
        ClaimTypes.Name => JwtClaimNames.Name,
        ClaimTypes.Email => JwtClaimNames.Email,
        ClaimTypes.Role => _roleType,
        _ => type,
    };

    private static void WriteValue(Utf8JsonWriter writer, Claim claim)
    {
        var value = claim.Value;
        switch (claim.ValueType)
        {
            case ClaimValueTypes.Integer or ClaimValueTypes.Integer32 or ClaimValueTypes.Integer64:
                if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    writer.WriteNumberValue(l);
                    return;
                }

                break;
            case ClaimValueTypes.UInteger32 or ClaimValueTypes.UInteger64:
                if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
                {
                    writer.WriteNumberValue(u);
                    return;
                }

                break;
            case ClaimValueTypes.Double:
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                    return;
                }

                break;
            case ClaimValueTypes.Boolean:
                if (bool.TryParse(value, out var b))
                {
                    writer.WriteBooleanValue(b);
                    return;
                }

                break;
            case JwtClaimNames.JsonValueType or JwtClaimNames.JsonArrayValueType:
                if (IsJson(value, claim.ValueType == JwtClaimNames.JsonValueType ? JsonTokenType.StartObject : JsonTokenType.StartArray))
                {
                    writer.WriteRawValue(value, skipInputValidation: true);
                    return;
                }

                break;
        }

        writer.WriteStringValue(value);
    }

    private static bool IsJson(string value, JsonTokenType expected)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(value));
            if (!reader.Read() || reader.TokenType != expected)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class PayloadBuffer
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; } = new(new ArrayBufferWriter<byte>(1), new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
