using System.Security.Cryptography;
using System.Text;

namespace AuthKit.Core.Tests;

public class SessionKeyTests
{
    [Fact]
    public void Key_is_the_sha256_of_the_utf8_id()
    {
        var id = SessionIds.Create();
        var key = SessionKey.FromSessionId(id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))), key.ToString());
    }

    [Fact]
    public void Key_round_trips_through_text_and_bytes()
    {
        var key = SessionKey.FromSessionId(SessionIds.Create());
        Assert.True(SessionKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.Equal(key, SessionKey.FromBytes(key.ToArray()));
        Assert.False(SessionKey.TryParse("zz", out _));
        Assert.False(SessionKey.TryParse(new string('g', 64), out _));
        Assert.False(SessionKey.TryParse(null, out _));
    }

    [Fact]
    public void Ids_are_43_base64url_characters_and_unique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SessionIds.Create()).ToList();
        Assert.All(ids, id => Assert.True(SessionIds.IsWellFormed(id)));
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.False(SessionIds.IsWellFormed("short"));
        Assert.False(SessionIds.IsWellFormed(new string('+', 43)));
    }

    [Fact]
    public void User_digest_is_the_sha256_hex_of_the_utf8_user_id()
    {
        foreach (var user in new[] { "alice", "ünïcødé@example.com", new string('x', 2000) })
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user))), SessionStoreKeys.UserDigest(user));
        }
    }
}
