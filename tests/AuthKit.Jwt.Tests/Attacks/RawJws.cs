using System.Buffers.Text;
using System.Text;
using AuthKit.Jwt.Tests.Interop;

namespace AuthKit.Jwt.Tests.Attacks;

/// <summary>
/// Builds compact JWS strings from raw header and payload JSON, byte for byte as given (duplicate members, odd types and all),
/// so an attack token differs from a good one in exactly the one way under test.
/// </summary>
internal static class RawJws
{
    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary><c>header.payload.signature</c>, signed by <paramref name="key"/> over the encoded header and payload.</summary>
    public static string Sign(string headerJson, string payloadJson, PeerKey key) =>
        SignEncoded(B64(headerJson), B64(payloadJson), key.Sign);

    /// <summary>Signs already-encoded segments (which may themselves be malformed) with any signer.</summary>
    public static string SignEncoded(string encodedHeader, string encodedPayload, Func<byte[], byte[]> sign)
    {
        var signingInput = encodedHeader + "." + encodedPayload;
        return signingInput + "." + B64(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary><c>header.payload.</c> — no signature at all.</summary>
    public static string Unsigned(string headerJson, string payloadJson) => B64(headerJson) + "." + B64(payloadJson) + ".";

    public static string Header(string alg, string kid, string typ = InteropClaims.AccessTokenType, string extra = "") =>
        "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"" + typ + "\"" + extra + "}";

    public static string Payload(InteropClaims claims, string extra = "") =>
        "{\"iss\":\"" + claims.Issuer + "\",\"aud\":\"" + claims.Audience + "\",\"sub\":\"" + claims.Subject +
        "\",\"iat\":" + claims.IssuedAt.ToUnixTimeSeconds() + ",\"nbf\":" + claims.IssuedAt.ToUnixTimeSeconds() +
        ",\"exp\":" + claims.Expires.ToUnixTimeSeconds() + ",\"jti\":\"attack-" + Guid.NewGuid().ToString("N") + "\"" + extra + "}";

    /// <summary>Replaces segment <paramref name="index"/> (0 header, 1 payload, 2 signature).</summary>
    public static string WithSegment(string token, int index, string segment)
    {
        var parts = token.Split('.');
        parts[index] = segment;
        return string.Join('.', parts);
    }

    public static string Segment(string token, int index) => token.Split('.')[index];
}
