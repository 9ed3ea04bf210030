using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Jwt.Tests;

/// <summary>Keys (generated once per run: RSA generation is slow), clocks and token crafting shared by the functional tests.</summary>
internal static class JwtTestKeys
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "https://api.test";

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, JwtSigningKey> s_keys = new(StringComparer.Ordinal);

    public static readonly byte[] HmacSecret = Enumerable.Range(1, 64).Select(i => (byte)i).ToArray();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IEnumerable<string> AllAlgorithms =>
    [
        JwtAlgorithms.HS256, JwtAlgorithms.HS384, JwtAlgorithms.HS512,
        JwtAlgorithms.RS256, JwtAlgorithms.RS384, JwtAlgorithms.RS512,
        JwtAlgorithms.PS256, JwtAlgorithms.PS384, JwtAlgorithms.PS512,
        JwtAlgorithms.ES256, JwtAlgorithms.ES384, JwtAlgorithms.ES512,
    ];

    /// <summary>One key per algorithm, kid = "k-{alg}".</summary>
    public static JwtSigningKey For(string algorithm)
    {
        lock (s_keys)
        {
            if (!s_keys.TryGetValue(algorithm, out var key))
            {
                key = algorithm.StartsWith("HS", StringComparison.Ordinal)
                    ? JwtSigningKey.FromSecret("k-" + algorithm, algorithm, HmacSecret)
                    : JwtSigningKey.Generate("k-" + algorithm, algorithm);
                s_keys[algorithm] = key;
            }

            return key;
        }
    }

    public static FakeTimeProvider NewClock() => new(Start);

    public static JwtAuthenticationOptions Options(params JwtSigningKey[] keys)
    {
        var o = new JwtAuthenticationOptions { Issuer = Issuer, Audience = Audience };
        foreach (var k in keys.Length == 0 ? [For(JwtAlgorithms.HS256)] : keys)
        {
            o.SigningKeys.Add(k);
        }

        return o;
    }

    public static JwtTokenService Service(FakeTimeProvider? time = null, Action<JwtAuthenticationOptions>? configure = null, ISessionStore? store = null, params JwtSigningKey[] keys)
    {
        var o = Options(keys);
        configure?.Invoke(o);
        return Create(o, time, store);
    }

    /// <summary>A token service outside a host (the static factory), on <paramref name="time"/> and <paramref name="store"/> (a fresh memory store by default).</summary>
    public static JwtTokenService Create(JwtAuthenticationOptions options, FakeTimeProvider? time = null, ISessionStore? store = null)
    {
        var clock = time ?? NewClock();
        store ??= new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), clock);
        return JwtTokenService.Create(options, store, clock, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
    }

    public static ClaimsPrincipal User(string id = "user-1", params Claim[] extra)
    {
        var identity = new ClaimsIdentity("test");
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, id));
        foreach (var c in extra)
        {
            identity.AddClaim(c);
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>A compact JWS over arbitrary header and payload JSON, signed with <paramref name="key"/>.</summary>
    public static string Sign(JwtSigningKey key, string headerJson, string payloadJson)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        var signature = new byte[1024];
        var n = key.Sign(Encoding.ASCII.GetBytes(input), signature);
        return input + "." + Base64Url.EncodeToString(signature.AsSpan(0, n));
    }

    /// <summary>A payload that validates under <see cref="Options"/> at <see cref="Start"/>, with <paramref name="extra"/> members appended.</summary>
    public static string Payload(string extra = "", long? exp = null, long? nbf = null, string issuer = Issuer, string audience = Audience)
    {
        var now = Start.ToUnixTimeSeconds();
        return $$"""{"iss":"{{issuer}}","sub":"user-1","aud":"{{audience}}","exp":{{exp ?? now + 600}},"nbf":{{nbf ?? now}},"iat":{{now}},"jti":"j1"{{extra}}}""";
    }

    public static string Header(JwtSigningKey key, string typ = "at+jwt", string extra = "") =>
        $$"""{"alg":"{{key.Algorithm}}","kid":"{{key.KeyId}}","typ":"{{typ}}"{{extra}}}""";

    public static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static string DecodeSegment(string token, int index) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[index]));
}
