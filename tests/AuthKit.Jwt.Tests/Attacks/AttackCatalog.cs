using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using static AuthKit.Jwt.Tests.Attacks.AttackKit;
using E = AuthKit.TokenValidationError;

namespace AuthKit.Jwt.Tests.Attacks;

/// <summary>One attack: how to build the token, and the typed failures that are a right answer (the first is the expected one).</summary>
internal sealed record AttackCase(string Name, Func<AttackKit, string> Build, params E[] Expected);

/// <summary>
/// The attack suite of DESIGN.md and issue 7 (RFC 8725 §2 and the classic JWT library bugs). Where two typed failures are both defensible
/// (an empty signature segment is "malformed" as much as "bad signature") both are listed; never <see cref="E.None"/>.
/// </summary>
internal static class AttackCatalog
{
    private static readonly string LongKid = new('k', 2000);

    public static IReadOnlyList<AttackCase> All { get; } = Build();

    public static AttackCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    private static List<AttackCase> Build()
    {
        var cases = new List<AttackCase>();
        void Add(string name, Func<AttackKit, string> build, params E[] expected) => cases.Add(new AttackCase(name, build, expected));

        // alg "none" (RFC 8725 §2.1), in every case, with and without a signature, with and without a kid.
        foreach (var none in new[] { "none", "None", "NONE", "nOnE" })
        {
            Add($"alg {none}, empty signature", k => RawJws.Unsigned(Header(none), k.Payload()), E.AlgorithmNotAllowed, E.Malformed);
            Add($"alg {none}, HMAC signature of the real key", k => RawJws.SignEncoded(RawJws.B64(Header(none)), RawJws.B64(k.Payload()), Hs.Sign), E.AlgorithmNotAllowed);
            Add($"alg {none}, no kid, empty signature", k => RawJws.Unsigned(Json(("alg", none), ("typ", "at+jwt")), k.Payload()), E.AlgorithmNotAllowed, E.Malformed, E.UnknownKey);
        }

        Add("alg none, no signature segment at all", k => RawJws.B64(Header("none")) + "." + RawJws.B64(k.Payload()), E.Malformed, E.AlgorithmNotAllowed);

        // Algorithm confusion (RFC 8725 §2.1): HS256 keyed with the RSA public key's bytes, aimed at the RS256 key's kid.
        foreach (var (form, bytes) in RsaPublicKeyForms())
        {
            Add($"alg confusion: HS256 keyed with the RS256 public key as {form}",
                k => RawJws.SignEncoded(RawJws.B64(Header("HS256", Rs.KeyId)), RawJws.B64(k.Payload()), Hmac(bytes)), E.AlgorithmNotAllowed);
        }

        Add("alg confusion: RS256 header on the HS256 key's kid", k => RawJws.SignEncoded(RawJws.B64(Header("RS256", Hs.KeyId)), RawJws.B64(k.Payload()), Rs.Sign), E.AlgorithmNotAllowed);
        Add("alg confusion: PS256 header on the RS256 key's kid (same RSA key, PSS padding)",
            k => RawJws.SignEncoded(RawJws.B64(Header("PS256", Rs.KeyId)), RawJws.B64(k.Payload()), Interop.PeerKey.For("PS256").Sign), E.AlgorithmNotAllowed);
        Add("alg confusion: HS512 header on the HS256 key's kid, same secret",
            k => RawJws.SignEncoded(RawJws.B64(Header("HS512", Hs.KeyId)), RawJws.B64(k.Payload()), input => HMACSHA512.HashData(Hs.Secret!, input)), E.AlgorithmNotAllowed);
        Add("alg confusion: ES256 header on the RS256 key's kid", k => RawJws.SignEncoded(RawJws.B64(Header("ES256", Rs.KeyId)), RawJws.B64(k.Payload()), Interop.PeerKey.For("ES256").Sign), E.AlgorithmNotAllowed);
        Add("alg lower case hs256", k => RawJws.SignEncoded(RawJws.B64(Header("hs256")), RawJws.B64(k.Payload()), Hs.Sign), E.AlgorithmNotAllowed);
        Add("alg missing", k => RawJws.SignEncoded(RawJws.B64(Json(("kid", Hs.KeyId), ("typ", "at+jwt"))), RawJws.B64(k.Payload()), Hs.Sign), E.Malformed, E.AlgorithmNotAllowed);
        Add("alg not a string", k => RawJws.SignEncoded(RawJws.B64(Json(("alg", 256), ("kid", Hs.KeyId), ("typ", "at+jwt"))), RawJws.B64(k.Payload()), Hs.Sign), E.Malformed, E.AlgorithmNotAllowed);
        Add("alg unsupported (EdDSA)", k => RawJws.SignEncoded(RawJws.B64(Header("EdDSA")), RawJws.B64(k.Payload()), Hs.Sign), E.AlgorithmNotAllowed);

        // kid tricks: the lookup is exact, never a path, query, prefix or case-insensitive match. Signed with the real secret, so any
        // lenient resolution of the kid to the real key would validate; and with an empty HMAC key (the content of /dev/null).
        foreach (var kid in new[]
        {
            "../../../../../../dev/null", "/dev/null", "..\\..\\..\\windows\\win.ini", "interop-hs256/../interop-hs256", "./interop-hs256",
            "' OR '1'='1", "interop-hs256' --", "x'; DROP TABLE keys; --", "interop-hs256\0", "\0interop-hs256", "interop-hs256\0.pem",
            "INTEROP-HS256", " interop-hs256", "interop-hs256 ", "interop-hs25", "%2e%2e%2fetc%2fpasswd", "http://attacker.example/k.pem",
            "${jndi:ldap://attacker.example/a}", "interop-hs256\r\nX-Injected: 1", "\u202Einterop-hs256",
        })
        {
            Add($"kid {Printable(kid)}, signed with the real secret", k => RawJws.SignEncoded(RawJws.B64(Header(kid: kid)), RawJws.B64(k.Payload()), Hs.Sign), E.UnknownKey);
            Add($"kid {Printable(kid)}, HMAC with an empty key", k => RawJws.SignEncoded(RawJws.B64(Header(kid: kid)), RawJws.B64(k.Payload()), Hmac([])), E.UnknownKey);
        }

        Add("kid 2000 characters long", k => RawJws.SignEncoded(RawJws.B64(Header(kid: LongKid)), RawJws.B64(k.Payload()), Hs.Sign), E.UnknownKey, E.Malformed);
        Add("kid empty string", k => RawJws.SignEncoded(RawJws.B64(Header(kid: "")), RawJws.B64(k.Payload()), Hs.Sign), E.UnknownKey, E.Malformed);
        Add("kid a number", k => RawJws.SignEncoded(RawJws.B64(Header(kid: new Raw("1"))), RawJws.B64(k.Payload()), Hs.Sign), E.Malformed, E.UnknownKey);
        Add("kid an array holding the real kid", k => RawJws.SignEncoded(RawJws.B64(Header(kid: new Raw("[\"interop-hs256\"]"))), RawJws.B64(k.Payload()), Hs.Sign), E.Malformed, E.UnknownKey);
        Add("kid null", k => RawJws.SignEncoded(RawJws.B64(Header(kid: new Raw("null"))), RawJws.B64(k.Payload()), Hs.Sign), E.Malformed, E.UnknownKey);

        // Signatures.
        Add("signature stripped (header.payload.)", k => k.Good()[..(k.Good().LastIndexOf('.') + 1)], E.BadSignature, E.Malformed);
        Add("signature truncated to 16 bytes", k => RawJws.WithSegment(k.Good(), 2, RawJws.B64(Base64Url.DecodeFromChars(RawJws.Segment(k.Good(), 2)).AsSpan(0, 16))), E.BadSignature);
        Add("signature truncated to 31 bytes", k => RawJws.WithSegment(k.Good(), 2, RawJws.B64(Base64Url.DecodeFromChars(RawJws.Segment(k.Good(), 2)).AsSpan(0, 31))), E.BadSignature);
        Add("signature one character shorter", k => { var g = k.Good(); return g[..^1]; }, E.BadSignature, E.Malformed);
        Add("signature with 32 extra bytes", k => RawJws.WithSegment(k.Good(), 2, RawJws.B64([.. Base64Url.DecodeFromChars(RawJws.Segment(k.Good(), 2)), .. new byte[32]])), E.BadSignature);
        Add("signature of another token", k => RawJws.WithSegment(k.Good(), 2, RawJws.Segment(k.Good(), 2)), E.BadSignature);
        Add("signature all zero", k => RawJws.WithSegment(k.Good(), 2, RawJws.B64(new byte[32])), E.BadSignature);
        Add("signature by an impostor key under the real kid", k => RawJws.Sign(Header(), k.Payload(), Interop.PeerKey.Impostor("HS256")), E.BadSignature);
        Add("RS256 signature by an impostor key under the real kid", k => RawJws.Sign(Header("RS256", Rs.KeyId), k.Payload(), Interop.PeerKey.Impostor("RS256")), E.BadSignature);

        // crit (RFC 7515 §4.1.11): unknown extensions, and the forms the RFC forbids.
        Add("crit with an unknown extension", k => RawJws.Sign(Header(extra: [("crit", new[] { "x-unknown" }), ("x-unknown", true)]), k.Payload(), Hs), E.Malformed);
        Add("crit b64 (RFC 7797, unsupported)", k => RawJws.Sign(Header(extra: [("crit", new[] { "b64" }), ("b64", false)]), k.Payload(), Hs), E.Malformed);
        Add("crit empty list", k => RawJws.Sign(Header(extra: [("crit", Array.Empty<string>())]), k.Payload(), Hs), E.Malformed);
        Add("crit not a list", k => RawJws.Sign(Header(extra: [("crit", "x-unknown"), ("x-unknown", 1)]), k.Payload(), Hs), E.Malformed);
        Add("crit naming a registered header (alg)", k => RawJws.Sign(Header(extra: [("crit", new[] { "alg" })]), k.Payload(), Hs), E.Malformed);

        // Keys carried by the token itself (RFC 8725 §3.10): refused even when the signature is by the real key.
        var attackerRsa = RSA.Create(2048);
        var attackerJwk = new Raw("{\"kty\":\"RSA\",\"n\":\"" + Base64Url.EncodeToString(attackerRsa.ExportParameters(false).Modulus) + "\",\"e\":\"AQAB\"}");
        Add("embedded jwk, signed by the attacker's key", k => RawJws.SignEncoded(RawJws.B64(Header("RS256", Rs.KeyId, ("jwk", attackerJwk))), RawJws.B64(k.Payload()),
            input => attackerRsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), E.Malformed, E.BadSignature);
        Add("embedded jwk, no kid, signed by the attacker's key", k => RawJws.SignEncoded(RawJws.B64(Json(("alg", "RS256"), ("typ", "at+jwt"), ("jwk", attackerJwk))), RawJws.B64(k.Payload()),
            input => attackerRsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), E.Malformed, E.UnknownKey, E.BadSignature);
        Add("embedded jwk, signed by the real key", k => RawJws.Sign(Header(extra: [("jwk", new Raw("{\"kty\":\"oct\",\"k\":\"AAAA\"}"))]), k.Payload(), Hs), E.Malformed);
        Add("jku, signed by the real key", k => RawJws.Sign(Header(extra: [("jku", "https://attacker.example/jwks.json")]), k.Payload(), Hs), E.Malformed);
        Add("x5u, signed by the real key", k => RawJws.Sign(Header(extra: [("x5u", "https://attacker.example/cert.pem")]), k.Payload(), Hs), E.Malformed);
        Add("x5c, signed by the real key", k => RawJws.Sign(Header(extra: [("x5c", new[] { "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" })]), k.Payload(), Hs), E.Malformed);

        // Claims.
        Add("expired (exp 31 s ago, skew 30 s)", k => RawJws.Sign(Header(), k.Payload(("exp", k.NowSeconds - 31)), Hs), E.Expired);
        Add("expired long ago", k => RawJws.Sign(Header(), k.Payload(("iat", 1000), ("nbf", 1000), ("exp", 2000)), Hs), E.Expired);
        Add("exp negative", k => RawJws.Sign(Header(), k.Payload(("exp", -1)), Hs), E.Expired, E.Malformed);
        Add("not yet valid (nbf 31 s ahead)", k => RawJws.Sign(Header(), k.Payload(("nbf", k.NowSeconds + 31)), Hs), E.NotYetValid);
        Add("not yet valid (nbf next year)", k => RawJws.Sign(Header(), k.Payload(("nbf", k.NowSeconds + 31_536_000), ("exp", k.NowSeconds + 31_536_600)), Hs), E.NotYetValid);
        Add("wrong audience", k => RawJws.Sign(Header(), k.Payload(("aud", "https://other-api.example")), Hs), E.BadAudience);
        Add("wrong audiences (array)", k => RawJws.Sign(Header(), k.Payload(("aud", new[] { "https://a.example", "https://b.example" })), Hs), E.BadAudience);
        Add("audience differing in case", k => RawJws.Sign(Header(), k.Payload(("aud", k.Claims.Audience.ToUpperInvariant())), Hs), E.BadAudience);
        Add("audience missing", k => RawJws.Sign(Header(), k.Payload(("aud", Remove.Member)), Hs), E.BadAudience);
        Add("audience empty array", k => RawJws.Sign(Header(), k.Payload(("aud", Array.Empty<string>())), Hs), E.BadAudience, E.Malformed);
        Add("audience a number", k => RawJws.Sign(Header(), k.Payload(("aud", 42)), Hs), E.BadAudience, E.Malformed);
        Add("wrong issuer", k => RawJws.Sign(Header(), k.Payload(("iss", "https://evil.example")), Hs), E.BadIssuer);
        Add("issuer with a trailing slash", k => RawJws.Sign(Header(), k.Payload(("iss", k.Claims.Issuer + "/")), Hs), E.BadIssuer);
        Add("issuer missing", k => RawJws.Sign(Header(), k.Payload(("iss", Remove.Member)), Hs), E.BadIssuer);
        Add("issuer an array holding the right issuer", k => RawJws.Sign(Header(), k.Payload(("iss", new[] { k.Claims.Issuer })), Hs), E.BadIssuer, E.Malformed);
        Add("exp missing", k => RawJws.Sign(Header(), k.Payload(("exp", Remove.Member)), Hs), E.Malformed, E.Expired);

        // Numbers as strings and other wrong types for NumericDate (RFC 7519 §2).
        Add("exp as a string", k => RawJws.Sign(Header(), k.Payload(("exp", (k.NowSeconds + 600).ToString(System.Globalization.CultureInfo.InvariantCulture))), Hs), E.Malformed);
        Add("nbf as a string", k => RawJws.Sign(Header(), k.Payload(("nbf", "0")), Hs), E.Malformed);
        Add("exp true", k => RawJws.Sign(Header(), k.Payload(("exp", true)), Hs), E.Malformed);
        Add("exp null", k => RawJws.Sign(Header(), k.Payload(("exp", new Raw("null"))), Hs), E.Malformed);
        Add("exp an object", k => RawJws.Sign(Header(), k.Payload(("exp", new Raw("{\"$date\":1}"))), Hs), E.Malformed);
        Add("exp 1e400", k => RawJws.Sign(Header(), k.Payload(("exp", new Raw("1e400"))), Hs), E.Malformed, E.Expired);

        // Duplicate members (RFC 7515 §5.2 step 4, RFC 8725 §3.2): refused, never "last one wins".
        Add("duplicate exp (expired, then far future)", k => RawJws.Sign(Header(), k.Payload(("exp", k.NowSeconds - 3600)).TrimEnd('}') + ",\"exp\":" + (k.NowSeconds + 999_999) + "}", Hs), E.Malformed);
        Add("duplicate exp (far future, then expired)", k => RawJws.Sign(Header(), k.Payload(("exp", k.NowSeconds + 999_999)).TrimEnd('}') + ",\"exp\":" + (k.NowSeconds - 3600) + "}", Hs), E.Malformed);
        Add("duplicate sub", k => RawJws.Sign(Header(), k.Payload().TrimEnd('}') + ",\"sub\":\"admin\"}", Hs), E.Malformed);
        Add("duplicate aud", k => RawJws.Sign(Header(), k.Payload(("aud", "https://other-api.example")).TrimEnd('}') + ",\"aud\":\"" + k.Claims.Audience + "\"}", Hs), E.Malformed);
        Add("duplicate exp spelled with an escape (\\u0065xp)", k => RawJws.Sign(Header(), k.Payload(("exp", k.NowSeconds - 3600)).TrimEnd('}') + ",\"\\u0065xp\":" + (k.NowSeconds + 999_999) + "}", Hs), E.Malformed);
        Add("duplicate header alg (none, then HS256)", k => RawJws.Sign("{\"alg\":\"none\",\"alg\":\"HS256\",\"kid\":\"" + Hs.KeyId + "\",\"typ\":\"at+jwt\"}", k.Payload(), Hs), E.Malformed);
        Add("duplicate header alg (HS256, then none)", k => RawJws.Sign("{\"alg\":\"HS256\",\"alg\":\"none\",\"kid\":\"" + Hs.KeyId + "\",\"typ\":\"at+jwt\"}", k.Payload(), Hs), E.Malformed);
        Add("duplicate header alg spelled with an escape (\\u0061lg)", k => RawJws.Sign("{\"alg\":\"HS256\",\"\\u0061lg\":\"none\",\"kid\":\"" + Hs.KeyId + "\",\"typ\":\"at+jwt\"}", k.Payload(), Hs), E.Malformed);
        Add("duplicate header kid", k => RawJws.Sign("{\"alg\":\"HS256\",\"kid\":\"unknown\",\"kid\":\"" + Hs.KeyId + "\",\"typ\":\"at+jwt\"}", k.Payload(), Hs), E.Malformed);
        Add("duplicate header typ", k => RawJws.Sign("{\"alg\":\"HS256\",\"kid\":\"" + Hs.KeyId + "\",\"typ\":\"JWT\",\"typ\":\"at+jwt\"}", k.Payload(), Hs), E.Malformed);

        // Base64url must be strict (RFC 7515 §2, §7.1): no padding, no '+' '/', no whitespace, canonical last character.
        Add("header with = padding", k => ResignRawSegments(k, RawJws.B64(Header()) + "=", RawJws.B64(k.Payload())), E.Malformed);
        Add("payload with == padding", k => ResignRawSegments(k, RawJws.B64(Header()), PadTo4(RawJws.B64(PayloadNeedingPadding(k)))), E.Malformed);
        Add("signature with = padding", k => k.Good() + "=", E.Malformed);
        Add("signature in standard base64 (+ and /)", k => StandardBase64Signature(k), E.Malformed);
        Add("payload in standard base64 (+ and /)", k => StandardBase64Payload(k), E.Malformed);
        Add("space inside the payload", k => { var g = k.Good(); var i = g.IndexOf('.') + 5; return g[..i] + " " + g[i..]; }, E.Malformed);
        Add("line break inside the payload (re-signed)", k => { var p = RawJws.B64(k.Payload()); return ResignRawSegments(k, RawJws.B64(Header()), p[..10] + "\n" + p[10..]); }, E.Malformed);
        Add("trailing space after the token", k => k.Good() + " ", E.Malformed, E.BadSignature);
        Add("leading space before the token", k => " " + k.Good(), E.Malformed);
        Add("non-canonical last character of the signature", k => NonCanonicalLastChar(k.Good(), 2), E.Malformed);
        Add("non-canonical last character of the payload (re-signed)", k => NonCanonicalPayload(k), E.Malformed);
        Add("invalid base64url character in the header", k => "*" + k.Good()[1..], E.Malformed);
        Add("impossible base64url length (4n+1) in the payload", k =>
        {
            var p = RawJws.B64(k.Payload());
            while (p.Length % 4 != 1)
            {
                p += "A";
            }

            return ResignRawSegments(k, RawJws.B64(Header()), p);
        }, E.Malformed);
        Add("non-ASCII character in the payload", k => { var g = k.Good(); var i = g.IndexOf('.') + 3; return g[..i] + "é" + g[(i + 1)..]; }, E.Malformed);

        // Segments.
        Add("empty token", _ => "", E.Malformed);
        Add("one dot", _ => ".", E.Malformed);
        Add("two dots", _ => "..", E.Malformed);
        Add("three dots", _ => "...", E.Malformed);
        Add("two segments", k => { var g = k.Good(); return g[..g.LastIndexOf('.')]; }, E.Malformed);
        Add("four segments", k => k.Good() + ".AAAA", E.Malformed);
        Add("five segments (JWE compact)", k => RawJws.B64(Json(("alg", "dir"), ("enc", "A256GCM"), ("kid", Hs.KeyId))) + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", E.Malformed);
        Add("header segment empty", k => ResignRawSegments(k, "", RawJws.B64(k.Payload())), E.Malformed);
        Add("payload segment empty", k => ResignRawSegments(k, RawJws.B64(Header()), ""), E.Malformed);

        // Payloads and headers that are not a JSON object.
        Add("payload not JSON", k => RawJws.Sign(Header(), "hello", Hs), E.Malformed);
        Add("payload a JSON array", k => RawJws.Sign(Header(), "[" + k.Payload() + "]", Hs), E.Malformed);
        Add("payload a JSON string", k => RawJws.Sign(Header(), "\"" + k.Claims.Subject + "\"", Hs), E.Malformed);
        Add("payload JSON null", k => RawJws.Sign(Header(), "null", Hs), E.Malformed);
        Add("payload truncated JSON", k => RawJws.Sign(Header(), k.Payload()[..^1], Hs), E.Malformed);
        Add("payload with trailing garbage", k => RawJws.Sign(Header(), k.Payload() + "x", Hs), E.Malformed);
        Add("payload with a second JSON object", k => RawJws.Sign(Header(), k.Payload() + k.Payload(), Hs), E.Malformed);
        Add("payload with a comment", k => RawJws.Sign(Header(), "/*x*/" + k.Payload(), Hs), E.Malformed);
        Add("payload with a trailing comma", k => RawJws.Sign(Header(), k.Payload().TrimEnd('}') + ",}", Hs), E.Malformed);
        Add("payload with invalid UTF-8", k => ResignRawSegments(k, RawJws.B64(Header()), RawJws.B64([.. Encoding.UTF8.GetBytes(k.Payload().TrimEnd('}')), .. ",\"name\":\""u8, 0xFF, 0xFE, .. "\"}"u8])), E.Malformed);
        Add("payload nested 2,000 deep", k => RawJws.Sign(Header(), k.Payload().TrimEnd('}') + ",\"deep\":" + new string('[', 2_000) + new string(']', 2_000) + "}", Hs), E.Malformed);
        Add("header a JSON array", k => RawJws.Sign("[" + Header() + "]", k.Payload(), Hs), E.Malformed);
        Add("header not JSON", k => RawJws.Sign("alg=HS256", k.Payload(), Hs), E.Malformed);

        // typ (RFC 8725 §3.11, RFC 9068 §4).
        Add("typ JWT", k => RawJws.Sign(Json(("alg", "HS256"), ("kid", Hs.KeyId), ("typ", "JWT")), k.Payload(), Hs), E.BadType);
        Add("typ missing", k => RawJws.Sign(Json(("alg", "HS256"), ("kid", Hs.KeyId)), k.Payload(), Hs), E.BadType);
        Add("typ of an ID token (JWT) with typ-like cty", k => RawJws.Sign(Json(("alg", "HS256"), ("kid", Hs.KeyId), ("typ", "JWT"), ("cty", "at+jwt")), k.Payload(), Hs), E.BadType);
        Add("typ dpop+jwt", k => RawJws.Sign(Json(("alg", "HS256"), ("kid", Hs.KeyId), ("typ", "dpop+jwt")), k.Payload(), Hs), E.BadType);
        Add("typ at+jwt with a suffix", k => RawJws.Sign(Json(("alg", "HS256"), ("kid", Hs.KeyId), ("typ", "at+jwtx")), k.Payload(), Hs), E.BadType);
        Add("typ a number", k => RawJws.Sign(Json(("alg", "HS256"), ("kid", Hs.KeyId), ("typ", 1)), k.Payload(), Hs), E.BadType, E.Malformed);

        // Size: refused before decoding.
        Add("oversized token (a claim of 10,000 characters)", k => RawJws.Sign(Header(), k.Payload(("pad", new string('x', 10_000))), Hs), E.Malformed);
        Add("oversized token (1 MB of junk)", _ => new string('A', 1 << 20), E.Malformed);
        Add("oversized header (10,000 characters)", k => RawJws.Sign(Header(extra: [("x-pad", new string('x', 10_000))]), k.Payload(), Hs), E.Malformed);

        return cases;
    }

    /// <summary>The RS256 public key in every form a confused library might take as an HMAC secret.</summary>
    private static IEnumerable<(string Form, byte[] Bytes)> RsaPublicKeyForms()
    {
        var rsa = Interop.PeerKey.For("RS256").Rsa!;
        var spkiPem = rsa.ExportSubjectPublicKeyInfoPem();
        var pkcs1Pem = rsa.ExportRSAPublicKeyPem();
        yield return ("SPKI PEM", Encoding.ASCII.GetBytes(spkiPem));
        yield return ("SPKI PEM with a trailing newline", Encoding.ASCII.GetBytes(spkiPem + "\n"));
        yield return ("SPKI PEM with CRLF", Encoding.ASCII.GetBytes(spkiPem.Replace("\n", "\r\n", StringComparison.Ordinal)));
        yield return ("PKCS#1 PEM", Encoding.ASCII.GetBytes(pkcs1Pem));
        yield return ("SPKI DER", rsa.ExportSubjectPublicKeyInfo());
        yield return ("PKCS#1 DER", rsa.ExportRSAPublicKey());
        yield return ("modulus bytes", rsa.ExportParameters(false).Modulus!);
        yield return ("public JWK JSON", Encoding.UTF8.GetBytes(Interop.EvidenceServices.ToAuthKitKey(Interop.PeerKey.For("RS256"), privateKey: false).ToPublicJwk()!));
    }

    private static string Printable(string s)
    {
        var sb = new StringBuilder("'");
        foreach (var c in s)
        {
            sb.Append(c < 0x20 || c is '\u202E' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return sb.Append('\'').ToString();
    }

    private static string ResignRawSegments(AttackKit k, string header, string payload) => RawJws.SignEncoded(header, payload, Hs.Sign);

    private static string PadTo4(string s) => s + new string('=', (4 - (s.Length % 4)) % 4);

    /// <summary>A payload whose encoding needs padding (length not a multiple of 3).</summary>
    private static byte[] PayloadNeedingPadding(AttackKit k)
    {
        var payload = k.Payload();
        for (var i = 0; Encoding.UTF8.GetByteCount(payload) % 3 != 1; i++)
        {
            payload = payload.TrimEnd('}') + ",\"p" + i + "\":0}";
        }

        return Encoding.UTF8.GetBytes(payload);
    }

    private static string StandardBase64Signature(AttackKit k)
    {
        // Re-issue until the signature's base64url text holds '-' or '_', so the standard alphabet differs from it.
        for (var i = 0; i < 1000; i++)
        {
            var token = RawJws.Sign(Header(), k.Payload(), Hs);
            var sig = RawJws.Segment(token, 2);
            if (sig.Contains('-', StringComparison.Ordinal) || sig.Contains('_', StringComparison.Ordinal))
            {
                return RawJws.WithSegment(token, 2, sig.Replace('-', '+').Replace('_', '/'));
            }
        }

        throw new InvalidOperationException("no '-' or '_' to swap after 1000 tries");
    }

    private static string StandardBase64Payload(AttackKit k)
    {
        for (var i = 0; i < 1000; i++)
        {
            // '~' and '?' at every offset of a 3-byte group: ASCII text otherwise never encodes to '-' or '_'.
            var payload = RawJws.B64(k.Payload(("n", "~~~???" + i)));
            if (payload.Contains('-', StringComparison.Ordinal) || payload.Contains('_', StringComparison.Ordinal))
            {
                return ResignRawSegments(k, RawJws.B64(Header()), payload.Replace('-', '+').Replace('_', '/'));
            }
        }

        throw new InvalidOperationException("no '-' or '_' to swap after 1000 tries");
    }

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Sets the unused low bits of a segment's last character: a lax decoder reads the same bytes.</summary>
    private static string NonCanonicalLastChar(string token, int segment)
    {
        var s = RawJws.Segment(token, segment);
        var unusedBits = (s.Length % 4) switch { 2 => 4, 3 => 2, _ => throw new InvalidOperationException("segment length has no unused bits") };
        var value = Alphabet.IndexOf(s[^1], StringComparison.Ordinal) | ((1 << unusedBits) - 1);
        return RawJws.WithSegment(token, segment, s[..^1] + Alphabet[value]);
    }

    private static string NonCanonicalPayload(AttackKit k)
    {
        var payload = k.Payload();
        for (var i = 0; Encoding.UTF8.GetByteCount(payload) % 3 == 0; i++)
        {
            payload = payload.TrimEnd('}') + ",\"p" + i + "\":0}";
        }

        var header = RawJws.B64(Header());
        var good = header + "." + RawJws.B64(payload) + ".x";
        var odd = NonCanonicalLastChar(good, 1);
        return ResignRawSegments(k, header, RawJws.Segment(odd, 1));
    }
}
