#if AUTHKIT_FUZZ
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>
/// Seeded generators of hostile <c>Cookie</c> and <c>Authorization</c> headers: mutations of the real valid credentials and
/// garbage of every shape. The same seed always gives the same inputs, so a failure replays.
/// </summary>
internal static class FuzzInputs
{
    private const string Base64UrlChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string Base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    // Characters that mean something to cookie, header, base64 and JWT parsers, plus controls, non-ASCII and lone surrogates.
    private static readonly string[] Nasty =
    [
        "~", ";", "=", ",", " ", "\t", "\"", "\\", "%", "%7E", "%00", "%ZZ", ".", ":", "+", "/", "==", "\0", "\r", "\n", "\u0001", "\u007f",
        "\u00e9", "\u00ff", "\u0100", "\u2028", "\ufeff", "\ufffd", "\ud800", "\udfff", "\ud83d\ude00", "\u202e", "chunks-", "{", "}", "[", "]",
    ];

    /// <summary>Session cookies: mutations of <paramref name="validCookie"/>, garbage, and the real but dead or anonymous cookies in <paramref name="real"/>.</summary>
    public static IEnumerable<FuzzInput> Cookies(Random random, string validCookie, int count, RealCookies real)
    {
        for (var i = 0; i < count; i++)
        {
            var https = random.Next(5) != 0;
            var name = https ? FuzzHost.SessionCookie : FuzzHost.LoopbackSessionCookie;
            var otherName = https ? FuzzHost.LoopbackSessionCookie : FuzzHost.SessionCookie;
            FuzzInput Make(string kind, string header, Expect expect, bool parsed = true) =>
                new(kind, header, StringValues.Empty, https, expect) { ReachesAuthKitParser = parsed };

            switch (random.Next(18))
            {
                case 16:
                    yield return Make("cookie-signed-out", name + "=" + real.SignedOut, Expect.Refused);
                    break;
                case 17:
                    yield return Make("cookie-anonymous-session", name + "=" + real.Anonymous, Expect.Refused) with { CookieLogDue = false };
                    break;
                case 0:
                {
                    var mutated = Mutate(random, validCookie);
                    yield return Make("cookie-mutated", name + "=" + mutated, CookieExpectation(validCookie, mutated));
                    break;
                }

                case 1:
                {
                    var cut = random.Next(validCookie.Length);
                    yield return Make("cookie-truncated", name + "=" + validCookie[..cut], Expect.Refused, parsed: cut > 0);
                    break;
                }

                case 2:
                    yield return Make("cookie-extended", name + "=" + validCookie + Base64UrlChars[random.Next(Base64UrlChars.Length)] + RandomText(random, random.Next(20)), Expect.Refused);
                    break;
                case 3:
                {
                    var size = random.Next(4) switch { 0 => 4097, 1 => 16_384, 2 => 65_536, _ => 300_000 };
                    var value = random.Next(2) == 0 ? Repeat(validCookie, size) : RandomString(random, Base64UrlChars + "~", size);
                    yield return Make("cookie-oversized", name + "=" + value, Expect.Refused);
                    break;
                }

                case 4:
                {
                    var (header, expect, parsed) = ManyCookies(random, name, validCookie);
                    yield return Make("cookie-many", header, expect, parsed);
                    break;
                }

                case 5:
                {
                    var (header, expect) = Chunked(random, name, validCookie);
                    yield return Make("cookie-chunks", header, expect);
                    break;
                }

                case 6:
                    yield return Make("cookie-non-ascii", name + "=" + RandomText(random, 1 + random.Next(80)), Expect.Refused);
                    break;
                case 7:
                    yield return Make("cookie-empty", random.Next(7) switch
                    {
                        0 => name + "=",
                        1 => name,
                        2 => "=",
                        3 => ";;;",
                        4 => name + "=\"\"",
                        5 => " ; " + name + " = ; ",
                        _ => string.Empty,
                    }, Expect.Refused, parsed: false);
                    break;
                case 8:
                    // The unprefixed loopback name over HTTPS, the prefixed one over plain HTTP: not the session cookie of this request.
                    yield return Make("cookie-other-name", otherName + "=" + validCookie, Expect.Refused, parsed: false);
                    break;
                case 9:
                    yield return Make("cookie-unsigned-id", name + "=" + validCookie.Split('~')[0], Expect.Refused);
                    break;
                case 10:
                    yield return Make("cookie-fresh-id", name + "=" + (random.Next(2) == 0 ? SessionIds.Create() : RandomString(random, Base64UrlChars, 43) + "~fuzz1~" + RandomString(random, Base64UrlChars, 43)), Expect.Refused);
                    break;
                case 11:
                {
                    var parts = validCookie.Split('~');
                    var kid = random.Next(4) switch { 0 => "", 1 => "../../etc/passwd", 2 => new string('k', 5000), _ => "fuzz2" };
                    yield return Make("cookie-kid", name + "=" + parts[0] + "~" + kid + "~" + parts[^1], Expect.Refused);
                    break;
                }

                case 12:
                    yield return Make("cookie-garbage-header", RandomText(random, random.Next(400)), Expect.Refused, parsed: false);
                    break;
                case 13:
                    // Quoted, percent-encoded and duplicated forms of the valid value: a server may accept or refuse them.
                    yield return Make("cookie-encoded", random.Next(3) switch
                    {
                        0 => name + "=\"" + validCookie + "\"",
                        1 => name + "=" + validCookie.Replace("~", "%7E", StringComparison.Ordinal),
                        _ => name + "=" + validCookie + "; " + name + "=" + Mutate(random, validCookie),
                    }, Expect.Either);
                    break;
                case 14:
                    yield return Make("cookie-valid", name + "=" + validCookie, Expect.Authenticated);
                    break;
                default:
                {
                    var mutated = Mutate(random, Mutate(random, validCookie));
                    yield return Make("cookie-mutated-twice", name + "=" + mutated + "; other=" + RandomText(random, 10), CookieExpectation(validCookie, mutated));
                    break;
                }
            }
        }
    }

    /// <summary>
    /// A hostile cookie and a hostile <c>Authorization</c> header together. The <c>AuthKit</c> policy scheme lets a single Basic or
    /// Bearer header decide (the cookie is then ignored); otherwise the session cookie decides.
    /// </summary>
    public static IEnumerable<FuzzInput> Mixed(Random random, string validCookie, string validToken, int count, RealCookies real)
    {
        using var cookies = Cookies(random, validCookie, count, real).GetEnumerator();
        using var headers = Authorizations(random, validToken, count).GetEnumerator();
        while (cookies.MoveNext() && headers.MoveNext())
        {
            var c = cookies.Current;
            var a = headers.Current;
            var headerDecides = a.Authorization.Count == 1 && NamesAuthKitScheme(a.Authorization[0]);
            yield return new FuzzInput(c.Kind + "+" + a.Kind, c.Cookie, a.Authorization, c.Https, headerDecides ? a.Expect : c.Expect)
            {
                ReachesAuthKitParser = a.ReachesAuthKitParser,
                CookieLogDue = c.CookieLogDue,
            };
        }
    }

    public static IEnumerable<FuzzInput> Authorizations(Random random, string validToken, int count)
    {
        var validBasic = FuzzHost.ValidBasicToken();
        for (var i = 0; i < count; i++)
        {
            FuzzInput Make(string kind, StringValues header, Expect expect, bool parsed = true) =>
                new(kind, null, header, true, expect) { ReachesAuthKitParser = parsed && header.Count == 1 && NamesAuthKitScheme(header[0]) };

            switch (random.Next(22))
            {
                case 0:
                    yield return Make("basic-bad-base64", "Basic " + BadBase64(random), Expect.Refused);
                    break;
                case 1:
                    yield return Make("basic-no-colon", "Basic " + B64(RandomBytes(random, random.Next(1, 40), printable: true).Where(b => b != ':').ToArray()), Expect.Refused);
                    break;
                case 2:
                {
                    var size = random.Next(3) switch { 0 => 3_000, 1 => 50_000, _ => 1_000_000 };
                    yield return Make("basic-huge", "Basic " + B64(Encoding.UTF8.GetBytes(FuzzHost.UserName + ":" + new string('p', size))), Expect.Refused);
                    break;
                }

                case 3:
                {
                    var control = (char)random.Next(0, 32);
                    var user = random.Next(2) == 0 ? "al" + control + "ice" : FuzzHost.UserName + (random.Next(2) == 0 ? "\u007f" : "\u0085");
                    yield return Make("basic-control-chars", "Basic " + B64(Encoding.UTF8.GetBytes(user + ":" + FuzzHost.Password)), Expect.Refused);
                    break;
                }

                case 4:
                {
                    // Not UTF-8: lone continuation bytes, overlongs, surrogates encoded in UTF-8, 0xFF.
                    byte[][] bad = [[0xC3, 0x28], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
                    var user = Encoding.UTF8.GetBytes("al").Concat(bad[random.Next(bad.Length)]).Concat(Encoding.UTF8.GetBytes("ice:"));
                    var password = random.Next(2) == 0 ? Encoding.UTF8.GetBytes(FuzzHost.Password) : bad[random.Next(bad.Length)];
                    yield return Make("basic-not-utf8", "Basic " + B64(user.Concat(password).ToArray()), Expect.Refused);
                    break;
                }

                case 5:
                    yield return Make("basic-random-bytes", "Basic " + B64(RandomBytes(random, random.Next(0, 200), printable: false)), Expect.Refused);
                    break;
                case 6:
                {
                    var (user, password) = random.Next(5) switch
                    {
                        0 => (FuzzHost.UserName, FuzzHost.Password + "x"),
                        1 => (FuzzHost.UserName, string.Empty),
                        2 => (string.Empty, FuzzHost.Password),
                        3 => ("ALICE", FuzzHost.Password),
                        _ => (RandomText(random, 12), RandomText(random, 12)),
                    };
                    yield return Make("basic-wrong", "Basic " + B64(Encoding.UTF8.GetBytes(user + ":" + password)), Expect.Refused);
                    break;
                }

                case 7:
                {
                    var header = random.Next(9) switch
                    {
                        0 => "Basic",
                        1 => "Basic ",
                        2 => "Basic    ",
                        3 => "Basic\t" + validBasic,
                        4 => "Basic " + validBasic + " " + validBasic,
                        5 => "Basic " + validBasic + ",",
                        6 => "Basic " + validBasic[..^1],
                        7 => "Basic " + validBasic.Replace('=', '-').Replace('+', '-').Replace('/', '_'),
                        _ => "Basic =" + validBasic,
                    };
                    yield return Make("basic-shape", header, Expect.Refused);
                    break;
                }

                case 8:
                    yield return Make("basic-valid-variant", random.Next(3) switch
                    {
                        0 => "basic " + validBasic,
                        1 => "  Basic " + validBasic,
                        _ => "Basic   " + validBasic + "  ",
                    }, Expect.Either);
                    break;
                case 9:
                    yield return Make("basic-valid", "Basic " + validBasic, Expect.Authenticated);
                    break;
                case 10:
                {
                    var mutated = Mutate(random, validToken);
                    yield return Make("bearer-mutated", "Bearer " + mutated, TokenExpectation(validToken, mutated));
                    break;
                }

                case 11:
                    yield return Make("bearer-truncated", "Bearer " + validToken[..random.Next(1, validToken.Length)], Expect.Refused);
                    break;
                case 12:
                    yield return Make("bearer-garbage-segments", "Bearer " + GarbageSegments(random), Expect.Refused);
                    break;
                case 13:
                {
                    var (token, expect) = SignedWeirdToken(random);
                    yield return Make("bearer-signed-weird-json", "Bearer " + token, expect);
                    break;
                }
                case 14:
                {
                    var size = random.Next(3) switch { 0 => 8_193, 1 => 100_000, _ => 1_000_000 };
                    var token = random.Next(2) == 0 ? Repeat(validToken + ".", size) : RandomString(random, Base64UrlChars + ".", size);
                    yield return Make("bearer-huge", "Bearer " + token, Expect.Refused);
                    break;
                }

                case 15:
                    yield return Make("bearer-shape", random.Next(8) switch
                    {
                        0 => "Bearer",
                        1 => "Bearer ",
                        2 => "Bearer " + validToken + " extra",
                        3 => "Bearer " + validToken + ",",
                        4 => "Bearer " + validToken + "." + validToken,
                        5 => "Bearer ..",
                        6 => "Bearer " + RandomText(random, 40),
                        _ => "Bearer\t" + validToken,
                    }, Expect.Refused);
                    break;
                case 16:
                    yield return Make("bearer-valid-variant", random.Next(2) == 0 ? "bearer " + validToken : "Bearer   " + validToken, Expect.Either);
                    break;
                case 17:
                    yield return Make("bearer-valid", "Bearer " + validToken, Expect.Authenticated);
                    break;
                case 18:
                    yield return Make("unknown-scheme", random.Next(7) switch
                    {
                        0 => "Digest username=\"alice\", realm=\"x\"",
                        1 => "Negotiate " + B64(RandomBytes(random, 30, printable: false)),
                        2 => string.Empty,
                        3 => " ",
                        4 => "Basicx " + validBasic,
                        5 => "Bearerx " + validToken,
                        _ => RandomText(random, random.Next(1, 100)),
                    }, Expect.Refused, parsed: false);
                    break;
                case 19:
                {
                    // Several Authorization headers: ambiguous, never authenticated.
                    StringValues several = random.Next(4) switch
                    {
                        0 => new[] { "Basic " + validBasic, "Bearer " + validToken },
                        1 => new[] { "Bearer " + validToken, "Bearer " + validToken },
                        2 => new[] { "Basic " + validBasic, "Basic " + BadBase64(random) },
                        _ => Enumerable.Range(0, random.Next(2, 50)).Select(_ => RandomText(random, 20)).ToArray(),
                    };
                    yield return Make("multiple-authorization", several, Expect.Refused);
                    break;
                }

                case 20:
                    // Never before the first character: "Bearer" 1*SP b64token (RFC 6750 §2.1) makes a space there a valid credential.
                    yield return Make("bearer-control-chars", "Bearer " + validToken.Insert(random.Next(1, validToken.Length), Nasty[random.Next(Nasty.Length)]), Expect.Refused);
                    break;
                default:
                    yield return Make("basic-as-bearer", random.Next(2) == 0 ? "Bearer " + validBasic : "Basic " + validToken, Expect.Refused);
                    break;
            }
        }
    }

    /// <summary>Whether the <c>AuthKit</c> policy scheme hands this single header to the Basic or Bearer scheme (the scheme name, then a space or the end).</summary>
    public static bool NamesAuthKitScheme(string? header)
    {
        var value = (header ?? string.Empty).AsSpan().TrimStart();
        foreach (var scheme in (ReadOnlySpan<string>)["Basic", "Bearer"])
        {
            if (value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && (value.Length == scheme.Length || value[scheme.Length] == ' '))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One to three random edits; never returns <paramref name="value"/> itself.</summary>
    public static string Mutate(Random random, string value)
    {
        string mutated;
        do
        {
            mutated = MutateOnce(random, value);
        }
        while (mutated == value);
        return mutated;
    }

    private static string MutateOnce(Random random, string value)
    {
        var sb = new StringBuilder(value);
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits; e++)
        {
            var at = sb.Length == 0 ? 0 : random.Next(sb.Length);
            switch (random.Next(4))
            {
                case 0 when sb.Length > 0:
                {
                    var original = sb[at];
                    char replacement;
                    do
                    {
                        replacement = Base64UrlChars[random.Next(Base64UrlChars.Length)];
                    }
                    while (replacement == original);
                    sb[at] = replacement;
                    break;
                }

                case 1 when sb.Length > 0:
                    sb.Remove(at, 1);
                    break;
                case 2:
                    sb.Insert(at, Nasty[random.Next(Nasty.Length)]);
                    break;
                default:
                    sb.Insert(at, Base64UrlChars[random.Next(Base64UrlChars.Length)]);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A mutated signed cookie that decodes to exactly the same ID, key ID and MAC bytes (only the unused low bits of the MAC's last
    /// base64url character changed) carries the same credential: a server may accept it.
    /// </summary>
    private static Expect CookieExpectation(string valid, string mutated)
    {
        if (mutated == valid)
        {
            return Expect.Authenticated;
        }

        var a = valid.Split('~');
        var b = mutated.Split('~');
        return b.Length == 3 && a[0] == b[0] && a[1] == b[1] && SameBase64Url(a[2], b[2]) ? Expect.Either : Expect.Refused;
    }

    private static Expect TokenExpectation(string valid, string mutated)
    {
        if (mutated == valid)
        {
            return Expect.Authenticated;
        }

        var a = valid.Split('.');
        var b = mutated.Split('.');
        return b.Length == 3 && a[0] == b[0] && a[1] == b[1] && SameBase64Url(a[2], b[2]) ? Expect.Either : Expect.Refused;
    }

    private static bool SameBase64Url(string x, string y)
    {
        try
        {
            return x.Length == y.Length && Base64Url.DecodeFromChars(x).AsSpan().SequenceEqual(Base64Url.DecodeFromChars(y));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static (string Header, Expect Expect, bool Parsed) ManyCookies(Random random, string name, string validCookie)
    {
        var count = random.Next(20, 400);
        var parts = new List<string>(count + 1);
        for (var i = 0; i < count; i++)
        {
            parts.Add(RandomString(random, "abcdefghijklmnopqrstuvwxyz_-", random.Next(1, 12)) + "=" + RandomText(random, random.Next(0, 30)));
        }

        var expect = Expect.Refused;
        var parsed = false;
        switch (random.Next(3))
        {
            case 0:
                parts.Insert(random.Next(parts.Count), name + "=" + validCookie);
                expect = Expect.Either;
                parsed = true;
                break;
            case 1:
                parts.Insert(random.Next(parts.Count), name + "=" + Mutate(random, validCookie));
                parsed = true;
                break;
        }

        return (string.Join(random.Next(4) == 0 ? ";" : "; ", parts), expect, parsed);
    }

    private static (string Header, Expect Expect) Chunked(Random random, string name, string validCookie)
    {
        var split = random.Next(1, validCookie.Length);
        return random.Next(9) switch
        {
            0 => (name + "=chunks-5", Expect.Refused),
            1 => (name + "=chunks-" + random.Next(-5, 3), Expect.Refused),
            2 => (name + "=chunks-2147483648; " + name + "C1=a", Expect.Refused),
            3 => (name + "=chunks-" + random.Next(2, 100) + "; " + name + "C1=" + validCookie[..split], Expect.Refused),
            4 => (name + "=chunks-abc", Expect.Refused),
            5 => (name + "=chunks-99999999; " + name + "C1=x; " + name + "C2=y", Expect.Refused),
            // Two chunks that reassemble the valid value: the framework's chunk format, which a server may accept.
            6 => (name + "=chunks-2; " + name + "C1=" + validCookie[..split] + "; " + name + "C2=" + validCookie[split..], Expect.Either),
            7 => (name + "=chunks-3; " + name + "C1=" + validCookie[..split] + "; " + name + "C2=" + validCookie[split..] + "; " + name + "C3=" + RandomText(random, 10), Expect.Refused),
            _ => (name + "=chunks-1; " + name + "C1=" + Repeat("x", 70_000), Expect.Refused),
        };
    }

    private static string GarbageSegments(Random random)
    {
        var segments = random.Next(6) switch { 0 => 1, 1 => 2, 2 => 4, 3 => 5, _ => 3 };
        return string.Join('.', Enumerable.Range(0, segments).Select(_ => random.Next(4) switch
        {
            0 => string.Empty,
            1 => RandomString(random, Base64UrlChars, random.Next(1, 120)),
            2 => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(WeirdJson(random))),
            _ => RandomString(random, Base64Chars + "=", random.Next(1, 60)),
        }));
    }

    /// <summary>A token signed with the app's real HS256 key, so the signature passes and the header and claims parsers get hostile JSON.</summary>
    private static (string Token, Expect Expect) SignedWeirdToken(Random random)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var validHeader = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"hs1\"}";
        var validPayload = $"{{\"iss\":\"{FuzzHost.Issuer}\",\"aud\":\"{FuzzHost.Issuer}\",\"sub\":\"mallory\",\"exp\":{now + 600},\"nbf\":{now - 10},\"iat\":{now - 10},\"jti\":\"j{random.Next()}\"}}";
        var (header, payload, expect) = random.Next(3) switch
        {
            0 => (WeirdJson(random), validPayload, Expect.Refused),
            1 => (validHeader, WeirdJson(random), Expect.Refused),
            _ => WeirdClaims(random, now, validHeader),
        };
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var mac = HMACSHA256.HashData(FuzzHost.JwtKeySecret, Encoding.ASCII.GetBytes(signingInput));
        return (signingInput + "." + Base64Url.EncodeToString(mac), expect);
    }

    private static string WeirdJson(Random random) => random.Next(16) switch
    {
        0 => "[]",
        1 => "123",
        2 => "\"string\"",
        3 => "null",
        4 => "{}",
        5 => "{\"alg\":\"none\"}",
        6 => new string('[', 5000) + new string(']', 5000),
        7 => "{\"a\":" + new string('[', 200) + new string(']', 200) + "}",
        8 => "{\"alg\":\"HS256\",\"alg\":\"none\",\"kid\":\"hs1\",\"typ\":\"at+jwt\"}",
        9 => "{\"alg\":\"HS256\",\"kid\":\"hs1\",\"typ\":\"at+jwt\",\"crit\":[\"exp\"]}",
        10 => "{\"alg\":\"HS256\",\"kid\":\"hs1\",\"typ\":\"at+jwt\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}}",
        11 => "\ufeff{\"alg\":\"HS256\"}",
        12 => "{\"alg\":\"HS256\",\"kid\":\"hs1\",\"typ\":\"at+jwt\"",
        13 => "{\"alg\":1e999,\"kid\":[],\"typ\":{}}",
        14 => "{\"alg\":\"HS256\\ud800\",\"kid\":\"hs1\"}",
        _ => RandomText(random, random.Next(0, 80)),
    };

    /// <summary>
    /// Hostile claims under a valid header. A far-future <c>exp</c> (still a JSON number) and an unknown claim nested deeply are
    /// claims the key holder signed: a validator may accept them (as user <c>mallory</c>) or refuse them. Everything else must be refused.
    /// </summary>
    private static (string Header, string Payload, Expect Expect) WeirdClaims(Random random, long now, string header)
    {
        var index = random.Next(14);
        return (header, Claims(index), index is 1 or 3 or 8 ? Expect.Either : Expect.Refused);

        string Claims(int which) => WeirdClaimSet(which, now);
    }

    private static string WeirdClaimSet(int which, long now)
    {
        var iss = $"\"iss\":\"{FuzzHost.Issuer}\",\"aud\":\"{FuzzHost.Issuer}\"";
        return which switch
        {
            0 => $"{{{iss},\"exp\":\"tomorrow\"}}",
            1 => $"{{{iss},\"exp\":1e308,\"sub\":\"mallory\"}}",
            2 => $"{{{iss},\"exp\":-9223372036854775809,\"sub\":\"mallory\"}}",
            3 => $"{{{iss},\"exp\":99999999999999999999999,\"sub\":\"mallory\"}}",
            4 => $"{{\"iss\":123,\"aud\":[1,2],\"exp\":{now + 600}}}",
            5 => $"{{{iss},\"exp\":{now + 600},\"sub\":{{\"nested\":[1,{{\"x\":null}}]}},\"role\":[[\"admin\"]]}}",
            6 => $"{{{iss},\"exp\":{now + 600},\"sub\":\"a\",\"sub\":\"b\"}}",
            7 => $"{{{iss},\"exp\":{now + 600},\"nbf\":\"x\",\"sub\":\"mallory\"}}",
            8 => $"{{{iss},\"exp\":{now + 600},\"sub\":\"mallory\",\"x\":" + new string('[', 3000) + new string(']', 3000) + "}",
            9 => $"{{{iss},\"exp\":{now + 600},\"sub\":\"\\u0000\\ud800\"}}",
            10 => $"{{{iss},\"exp\":{now - 3600},\"sub\":\"mallory\"}}",
            11 => $"{{\"aud\":\"{FuzzHost.Issuer}\",\"exp\":{now + 600},\"sub\":\"mallory\"}}",
            12 => $"{{{iss},\"exp\":{now + 600},\"aud\":[],\"sub\":\"mallory\"}}",
            _ => $"{{{iss},\"exp\":{now + 600},\"sub\":\"mallory\",\"" + new string('k', 20_000) + "\":1}",
        };
    }

    private static string BadBase64(Random random) => random.Next(8) switch
    {
        0 => RandomString(random, Base64Chars, random.Next(1, 30) * 4 + random.Next(1, 4)),
        1 => "YWxpY2U6cHc",
        2 => "YW=xpY2U6cHc=",
        3 => "YWxp Y2U6cHc=",
        4 => "YR==",
        5 => RandomText(random, random.Next(1, 60)),
        6 => "////",
        _ => "====",
    };

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static byte[] RandomBytes(Random random, int length, bool printable)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (printable)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(' ' + (bytes[i] % 95));
            }
        }

        return bytes;
    }

    private static string RandomString(Random random, string alphabet, int length) =>
        string.Create(length, (random, alphabet), static (span, s) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = s.alphabet[s.random.Next(s.alphabet.Length)];
            }
        });

    private static string RandomText(Random random, int length)
    {
        var sb = new StringBuilder(length);
        while (sb.Length < length)
        {
            sb.Append(random.Next(4) switch
            {
                0 => Nasty[random.Next(Nasty.Length)],
                1 => ((char)random.Next(0x20, 0x7f)).ToString(),
                2 => ((char)random.Next(0, 0x10000)).ToString(),
                _ => Base64UrlChars[random.Next(Base64UrlChars.Length)].ToString(),
            });
        }

        return sb.ToString();
    }

    private static string Repeat(string value, int length)
    {
        var sb = new StringBuilder(length + value.Length);
        while (sb.Length < length)
        {
            sb.Append(value);
        }

        return sb.ToString(0, length);
    }
}
/// <summary>Real session cookies the server issued: one signed out (dead), one of an anonymous session (live, nobody signed in).</summary>
internal sealed record RealCookies(string SignedOut, string Anonymous);
#endif
