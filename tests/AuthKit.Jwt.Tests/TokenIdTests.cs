using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>The <c>jti</c>: 128 CSPRNG bits, base64url, never handed out twice (ids come from per-thread blocks of random bytes).</summary>
public sealed class TokenIdTests
{
    [Fact]
    public async Task Token_ids_are_128_bit_base64url_and_match_the_jti_claim()
    {
        var service = Service();
        for (var i = 0; i < 40; i++)
        {
            var issued = await service.IssueAsync(User(), cancellationToken: Ct);

            Assert.Equal(22, issued.TokenId.Length);
            Assert.Equal(16, Base64Url.DecodeFromChars(issued.TokenId).Length);
            using var payload = JsonDocument.Parse(DecodeSegment(issued.AccessToken, 1));
            Assert.Equal(issued.TokenId, payload.RootElement.GetProperty("jti").GetString());
        }
    }

    [Fact]
    public async Task Token_ids_are_unique_across_threads_and_across_refills_of_the_random_block()
    {
        // 8 concurrent loops × 200 tokens on pool threads: each thread crosses several 32-id blocks; any reuse of bytes (a missed offset, a block not refilled,
        // a block shared between threads, bytes zeroed before encoding) shows as a duplicate.
        var service = Service();
        var ids = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                ids.Add((await service.IssueAsync(User(), cancellationToken: Ct)).TokenId);
            }
        }, Ct)));

        Assert.Equal(1600, ids.Count);
        Assert.Equal(1600, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(ids, id => Base64Url.DecodeFromChars(id).All(b => b == 0));
    }
}
