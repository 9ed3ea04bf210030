#if AUTHKIT_FUZZ
namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>
/// A 32-byte MAC is 43 base64url characters whose last one carries 2 unused bits, so three other spellings decode to the same
/// bytes. Both the signed session cookie and the HS256 token refuse them (401, never a 5xx): a credential has one spelling only.
/// </summary>
public sealed class NonCanonicalBase64Tests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public async Task A_session_cookie_MAC_or_token_signature_spelled_with_nonzero_unused_bits_is_refused_with_401()
    {
        await using var host = await FuzzHost.StartAsync();
        var cookie = await host.SignInAsync();
        var token = await host.IssueTokenAsync();

        var cookieStatuses = new List<int>();
        foreach (var variant in Spellings(cookie))
        {
            var input = new FuzzInput("cookie-mac-spelling", FuzzHost.SessionCookie + "=" + variant, default, true, Expect.Either);
            cookieStatuses.Add((await host.SendAsync(FuzzHost.ProtectedPath, input)).Status);
        }

        var tokenStatuses = new List<int>();
        foreach (var variant in Spellings(token))
        {
            var input = new FuzzInput("token-signature-spelling", null, "Bearer " + variant, true, Expect.Either);
            tokenStatuses.Add((await host.SendAsync(FuzzHost.ProtectedPath, input)).Status);
        }

        // The canonical spelling (unused bits zero) first, then the three that differ only in the unused bits.
        Assert.Equal([200, 401, 401, 401], cookieStatuses);
        Assert.Equal([200, 401, 401, 401], tokenStatuses);
    }

    private static IEnumerable<string> Spellings(string value)
    {
        var last = Alphabet.IndexOf(value[^1], StringComparison.Ordinal);
        Assert.Equal(0, last & 3);
        for (var bits = 0; bits < 4; bits++)
        {
            yield return value[..^1] + Alphabet[last | bits];
        }
    }
}
#endif
