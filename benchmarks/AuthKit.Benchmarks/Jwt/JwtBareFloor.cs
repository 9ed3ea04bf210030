using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>
/// The least a JWS validator must do, with nothing else: split, base64url-decode, verify (a keyed HMAC reused per thread, the
/// one-shot HMAC for comparison, or RSA/ECDsa VerifyData on the one key object),
/// then read the header (<c>alg</c>, <c>kid</c>, <c>typ</c>) and the payload (<c>iss</c>, <c>aud</c>, <c>sub</c>, <c>exp</c>, <c>nbf</c>)
/// with a <see cref="Utf8JsonReader"/> and check the times. No principal is built. A floor to measure against, not a validator.
/// </summary>
public static class JwtBareFloor
{
    public enum Verifier
    {
        /// <summary>HMAC-SHA256 with a keyed <see cref="IncrementalHash"/> reused per thread: the true floor (no key set-up per call).</summary>
        Hs256,

        /// <summary>The one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/>, which sets the key up on every call (not a floor).</summary>
        Hs256OneShot,
        Rs256,
        Es256,
    }

    /// <summary>Returns the <c>sub</c> of a token that verifies and has not expired, or <see langword="null"/>.</summary>
    public static string? Validate(string token, Verifier verifier, byte[]? secret, AsymmetricAlgorithm? key, long nowUnixSeconds) =>
        (string?)ValidateCore(token, verifier, secret, key, nowUnixSeconds, principal: false);

    /// <summary>
    /// The floor that also builds what a validator must hand back: a <see cref="ClaimsPrincipal"/> with one <see cref="Claim"/> per
    /// member of the payload (the value as a string with its value type, the issuer on every claim). Not the true floor of the
    /// targets; the yardstick for what the principal itself costs.
    /// </summary>
    public static ClaimsPrincipal? ValidateToPrincipal(string token, Verifier verifier, byte[]? secret, AsymmetricAlgorithm? key, long nowUnixSeconds) =>
        (ClaimsPrincipal?)ValidateCore(token, verifier, secret, key, nowUnixSeconds, principal: true);

    private static object? ValidateCore(string token, Verifier verifier, byte[]? secret, AsymmetricAlgorithm? key, long nowUnixSeconds, bool principal)
    {
        var span = token.AsSpan();
        var dot1 = span.IndexOf('.');
        if (dot1 < 0)
        {
            return null;
        }

        var dot2 = span[(dot1 + 1)..].IndexOf('.');
        if (dot2 < 0)
        {
            return null;
        }

        dot2 += dot1 + 1;
        var signingInputChars = span[..dot2];
        var rented = ArrayPool<byte>.Shared.Rent(signingInputChars.Length);
        try
        {
            var signingInput = rented.AsSpan(0, Encoding.ASCII.GetBytes(signingInputChars, rented));
            Span<byte> signature = stackalloc byte[512];
            if (!Base64Url.TryDecodeFromChars(span[(dot2 + 1)..], signature, out var signatureLength))
            {
                return null;
            }

            signature = signature[..signatureLength];
            var verified = verifier switch
            {
                Verifier.Hs256 => VerifyHmacReused(secret!, signingInput, signature),
                Verifier.Hs256OneShot => VerifyHmac(secret!, signingInput, signature),
                Verifier.Rs256 => ((RSA)key!).VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => ((ECDsa)key!).VerifyData(signingInput, signature, HashAlgorithmName.SHA256),
            };
            if (!verified)
            {
                return null;
            }

            Span<byte> header = stackalloc byte[256];
            if (!Base64Url.TryDecodeFromChars(span[..dot1], header, out var headerLength) || !ReadHeader(header[..headerLength]))
            {
                return null;
            }

            var payloadChars = span[(dot1 + 1)..dot2];
            var payload = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payloadChars.Length));
            try
            {
                if (!Base64Url.TryDecodeFromChars(payloadChars, payload, out var payloadLength))
                {
                    return null;
                }

                return principal ? ReadPrincipal(payload.AsSpan(0, payloadLength), nowUnixSeconds) : ReadPayload(payload.AsSpan(0, payloadLength), nowUnixSeconds);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static byte[]? t_hmacSecret;

    private static bool VerifyHmacReused(byte[] secret, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[32];
        MacReused(secret, signingInput, mac);
        return CryptographicOperations.FixedTimeEquals(mac, signature);
    }

    private static void MacReused(byte[] secret, ReadOnlySpan<byte> input, Span<byte> mac)
    {
        if (!ReferenceEquals(t_hmacSecret, secret))
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            t_hmacSecret = secret;
        }

        t_hmac!.AppendData(input);
        t_hmac.GetHashAndReset(mac);
    }

    private static bool VerifyHmac(byte[] secret, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, signingInput, mac);
        return CryptographicOperations.FixedTimeEquals(mac, signature);
    }

    private static bool ReadHeader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var algOk = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    reader.Read();
                    algOk = reader.ValueTextEquals("HS256"u8) || reader.ValueTextEquals("RS256"u8) || reader.ValueTextEquals("ES256"u8);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        return algOk;
    }

    private static string? ReadPayload(ReadOnlySpan<byte> json, long now)
    {
        var reader = new Utf8JsonReader(json);
        string? sub = null;
        long exp = 0, nbf = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("sub"u8))
            {
                reader.Read();
                sub = reader.GetString();
            }
            else if (reader.ValueTextEquals("exp"u8))
            {
                reader.Read();
                exp = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("nbf"u8))
            {
                reader.Read();
                nbf = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("iss"u8))
            {
                reader.Read();
                if (!reader.ValueTextEquals(JwtBenchKeys.IssuerUtf8))
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("aud"u8))
            {
                reader.Read();
                if (!reader.ValueTextEquals(JwtBenchKeys.AudienceUtf8))
                {
                    return null;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return exp > now - 30 && nbf <= now + 30 ? sub : null;
    }

    /// <summary>One pass that checks what <see cref="ReadPayload"/> checks and adds every member to the identity as a claim (the issuer leads).</summary>
    private static ClaimsPrincipal? ReadPrincipal(ReadOnlySpan<byte> json, long now)
    {
        var reader = new Utf8JsonReader(json);
        var issuer = JwtBenchKeys.Issuer;
        var identity = new ClaimsIdentity(null, "bench", "name", "role");
        long exp = 0, nbf = 0;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("iss"u8) ? "iss" : reader.ValueTextEquals("aud"u8) ? "aud" : reader.ValueTextEquals("sub"u8) ? "sub"
                : reader.ValueTextEquals("exp"u8) ? "exp" : reader.ValueTextEquals("nbf"u8) ? "nbf" : reader.ValueTextEquals("iat"u8) ? "iat"
                : reader.ValueTextEquals("jti"u8) ? "jti" : reader.GetString()!;
            reader.Read();
            string value, type = ClaimValueTypes.String;
            if (reader.TokenType == JsonTokenType.Number)
            {
                var seconds = reader.GetInt64();
                exp = name == "exp" ? seconds : exp;
                nbf = name == "nbf" ? seconds : nbf;
                value = seconds.ToString(CultureInfo.InvariantCulture);
                type = ClaimValueTypes.Integer64;
            }
            else if (name == "iss")
            {
                if (!reader.ValueTextEquals(JwtBenchKeys.IssuerUtf8))
                {
                    return null;
                }

                value = issuer;
            }
            else if (name == "aud")
            {
                if (!reader.ValueTextEquals(JwtBenchKeys.AudienceUtf8))
                {
                    return null;
                }

                value = JwtBenchKeys.Audience;
            }
            else
            {
                value = reader.GetString()!;
            }

            identity.AddClaim(new Claim(name, value, type, issuer, issuer, identity));
        }

        return exp > now - 30 && nbf <= now + 30 ? new ClaimsPrincipal(identity) : null;
    }

    // '+' of "at+jwt" unescaped, as every JWT library writes it.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes and signs a token the cheapest way: <see cref="Utf8JsonWriter"/>, base64url, a keyed HMAC-SHA256 reused per thread.</summary>
    public static string CreateHs256(byte[] secret, string kid, string subject, long nowUnixSeconds, string jti)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, "HS256"u8);
            writer.WriteString("kid"u8, kid);
            writer.WriteString("typ"u8, "at+jwt"u8);
            writer.WriteEndObject();
        }

        var headerLength = buffer.WrittenCount;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("iss"u8, JwtBenchKeys.IssuerUtf8);
            writer.WriteString("aud"u8, JwtBenchKeys.AudienceUtf8);
            writer.WriteString("sub"u8, subject);
            writer.WriteString("name"u8, "Ada Lovelace"u8);
            writer.WriteNumber("iat"u8, nowUnixSeconds);
            writer.WriteNumber("nbf"u8, nowUnixSeconds);
            writer.WriteNumber("exp"u8, nowUnixSeconds + 900);
            writer.WriteString("jti"u8, jti);
            writer.WriteEndObject();
        }

        var json = buffer.WrittenSpan;
        var header = json[..headerLength];
        var payload = json[headerLength..];
        var headerChars = Base64Url.GetEncodedLength(header.Length);
        var payloadChars = Base64Url.GetEncodedLength(payload.Length);
        var total = headerChars + 1 + payloadChars + 1 + 43;
        var output = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Base64Url.EncodeToUtf8(header, output);
            output[headerChars] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, output.AsSpan(headerChars + 1));
            var signingInputLength = headerChars + 1 + payloadChars;
            output[signingInputLength] = (byte)'.';
            Span<byte> mac = stackalloc byte[32];
            MacReused(secret, output.AsSpan(0, signingInputLength), mac);
            Base64Url.EncodeToUtf8(mac, output.AsSpan(signingInputLength + 1));
            return Encoding.ASCII.GetString(output, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
