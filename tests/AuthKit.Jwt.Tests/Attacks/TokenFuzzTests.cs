using System.Buffers.Text;
using System.Net;
using System.Text;
using AuthKit.Jwt.Tests.Interop;
using Microsoft.AspNetCore.TestHost;

namespace AuthKit.Jwt.Tests.Attacks;

/// <summary>
/// Property tests over generated input (fixed seeds, bounded counts): a mutated good token, or random garbage, never throws out of
/// <see cref="ITokenService.ValidateAsync"/> and never validates; over HTTP it never gets anything but 401/400.
/// </summary>
public sealed class TokenFuzzTests
{
    private const string JsonCharacters = "{}[]\",:0123456789 tfnu\\e.-";

    private const string Pool = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t\0\u00e9\u20ac{}\"\\:,[]";

    [Theory]
    [InlineData("HS256", 7515, 10_000)]
    [InlineData("RS256", 7518, 2_000)]
    [InlineData("ES256", 7519, 2_000)]
    public async Task Mutated_tokens_never_throw_and_never_validate(string algorithm, int seed, int count)
    {
        var kit = new AttackKit();
        var key = PeerKey.For(algorithm);
        await using var services = EvidenceServices.Create(kit.Time, o =>
        {
            kit.Configure(o);
            if (algorithm != "HS256" && algorithm != "RS256")
            {
                o.SigningKeys.Add(key.ToAuthKitKey(privateKey: false));
            }
        });
        var tokens = services.TokenService();
        var good = RawJws.Sign(AttackKit.Header(algorithm, key.KeyId), kit.Payload(), key);
        Assert.True((await tokens.ValidateAsync(good, TestContext.Current.CancellationToken)).Succeeded, "control: the unmutated token validates");

        var random = new Random(seed);
        var tried = 0;
        var errors = new Dictionary<TokenValidationError, int>();
        while (tried < count)
        {
            var mutated = Mutate(good, random);
            if (mutated == good)
            {
                continue;
            }

            tried++;
            AccessTokenValidationResult result;
            try
            {
                result = await tokens.ValidateAsync(mutated, TestContext.Current.CancellationToken);
            }
            catch (Exception ex)
            {
                Assert.Fail($"ValidateAsync threw {ex.GetType().Name} for mutation #{tried} (seed {seed}): {Escape(mutated)}\n{ex}");
                throw;
            }

            Assert.False(result.Succeeded, $"mutation #{tried} (seed {seed}) validated: {Escape(mutated)}");
            Assert.NotEqual(TokenValidationError.None, result.Error);
            errors[result.Error] = errors.GetValueOrDefault(result.Error) + 1;
        }

        services.AssertNothingSwallowed();

        // The mutations reach past the parser: some are refused by the signature check, not all as malformed.
        Assert.True(errors.GetValueOrDefault(TokenValidationError.BadSignature) > 0, string.Join(", ", errors));
        Assert.True(errors.GetValueOrDefault(TokenValidationError.Malformed) > 0, string.Join(", ", errors));
    }

    [Fact]
    public async Task Random_garbage_never_throws_and_never_validates()
    {
        var kit = new AttackKit();
        await using var services = EvidenceServices.Create(kit.Time, kit.Configure);
        var tokens = services.TokenService();
        var random = new Random(2519);
        for (var i = 0; i < 3000; i++)
        {
            var garbage = RandomString(random, random.Next(0, 400));
            if (i % 3 == 0)
            {
                // Shaped like a JWS: three base64url segments of random bytes, or of random JSON-ish text.
                garbage = Segment(random) + "." + Segment(random) + "." + Segment(random);
            }

            var result = await tokens.ValidateAsync(garbage, TestContext.Current.CancellationToken);

            Assert.False(result.Succeeded, Escape(garbage));
        }

        services.AssertNothingSwallowed();
    }

    [Fact]
    public async Task Mutated_tokens_over_HTTP_never_get_a_500()
    {
        var kit = new AttackKit();
        await using var app = await EvidenceServices.StartAppAsync(kit.Time, kit.Configure);
        using var client = app.GetTestClient();
        var good = kit.Good();
        var random = new Random(6750);
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 300; i++)
        {
            var mutated = Mutate(good, random);
            if (mutated == good || mutated.Any(c => c is < (char)0x20 or > (char)0x7E) || mutated.Trim() != mutated)
            {
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + mutated);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {mutated}");
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
        }

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Unauthorized) > 100, string.Join(", ", statuses));
        app.Services.AssertNothingSwallowed();
    }

    /// <summary>One to three random edits: character-level (replace, insert, delete, cut), segment-level (swap, duplicate, drop),
    /// or byte-level inside a decoded segment (flip a bit, change a JSON character) re-encoded canonically, so the parser is passed.</summary>
    private static string Mutate(string token, Random random)
    {
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            token = random.Next(10) switch
            {
                0 when token.Length > 0 => Replace(token, random.Next(token.Length), Pool[random.Next(Pool.Length)]),
                1 => token.Insert(random.Next(token.Length + 1), Pool[random.Next(Pool.Length)].ToString()),
                2 when token.Length > 0 => token.Remove(random.Next(token.Length), 1),
                3 when token.Length > 0 => token[..random.Next(token.Length)],
                4 => SwapSegments(token, random),
                5 => DuplicateSegment(token, random),
                6 or 7 or 8 => FlipDecoded(token, random),
                _ when token.Length > 0 => Replace(token, random.Next(token.Length), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[random.Next(64)]),
                _ => token + ".",
            };
        }

        return token;
    }

    private static string Replace(string s, int index, char c) => s[..index] + c + s[(index + 1)..];

    private static string SwapSegments(string token, Random random)
    {
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return token + "." + token;
        }

        var a = random.Next(parts.Length);
        var b = random.Next(parts.Length);
        (parts[a], parts[b]) = (parts[b], parts[a]);
        return string.Join('.', parts);
    }

    private static string DuplicateSegment(string token, Random random)
    {
        var parts = token.Split('.').ToList();
        var i = random.Next(parts.Count);
        parts.Insert(i, parts[i]);
        return string.Join('.', parts);
    }

    private static string FlipDecoded(string token, Random random)
    {
        var parts = token.Split('.');
        var i = random.Next(Math.Min(parts.Length, 3));
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(parts[i]);
        }
        catch (FormatException)
        {
            return token;
        }

        if (bytes.Length == 0)
        {
            return token;
        }

        var at = random.Next(bytes.Length);
        if (random.Next(2) == 0)
        {
            bytes[at] ^= (byte)(1 << random.Next(8));
        }
        else
        {
            bytes[at] = (byte)JsonCharacters[random.Next(JsonCharacters.Length)];
        }

        parts[i] = Base64Url.EncodeToString(bytes);
        return string.Join('.', parts);
    }

    private static string RandomString(Random random, int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(random.Next(4) == 0 ? (char)random.Next(0, 0xD800) : Pool[random.Next(Pool.Length)]);
        }

        return sb.ToString();
    }

    private static string Segment(Random random)
    {
        if (random.Next(2) == 0)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            return Base64Url.EncodeToString(bytes);
        }

        var json = new StringBuilder("{");
        for (int i = 0, n = random.Next(0, 6); i < n; i++)
        {
            json.Append(i > 0 ? "," : "").Append('"').Append((char)('a' + random.Next(26))).Append("\":").Append(random.Next(3) switch { 0 => "1", 1 => "\"x\"", _ => "[]" });
        }

        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.Append(random.Next(5) == 0 ? "" : "}").ToString()));
    }

    private static string Escape(string s) => s.Length > 300 ? s[..300] + "…" : s.Replace("\0", "\\0", StringComparison.Ordinal);
}
