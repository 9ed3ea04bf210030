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

    [Fact]
    public void Id_issued_for_a_user_carries_the_users_slot_tag_and_its_key_keeps_it()
    {
        var id = SessionIds.Create("alice@example.com");
        var tag = SessionStoreKeys.SlotTag("alice@example.com");
        Assert.Equal(SessionStoreKeys.UserDigest("alice@example.com")[..4], tag);
        Assert.Equal(48, id.Length);
        Assert.EndsWith("." + tag, id, StringComparison.Ordinal);
        Assert.True(SessionIds.IsWellFormed(id));

        var key = SessionKey.FromSessionId(id);
        Assert.Equal(tag, key.SlotTag);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))) + "." + tag, key.ToString());
        Assert.True(SessionKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(tag, parsed.SlotTag);
        Assert.Equal(key, parsed);
    }

    [Fact]
    public void Untagged_key_takes_its_slot_tag_from_the_digest()
    {
        var key = SessionKey.FromSessionId(SessionIds.Create());
        Assert.Equal(key.ToString()[..4], key.SlotTag);
        Assert.Equal(64, key.ToString().Length);
        Assert.Equal(key.SlotTag, SessionKey.FromBytes(key.ToArray()).SlotTag);
    }

    [Fact]
    public void Changing_the_tag_of_an_id_names_another_record()
    {
        var id = SessionIds.Create("alice");
        var forged = id[..^4] + (id[^4..] == "0000" ? "0001" : "0000");
        Assert.True(SessionIds.IsWellFormed(forged));
        Assert.NotEqual(SessionKey.FromSessionId(id), SessionKey.FromSessionId(forged));
    }

    [Theory]
    [InlineData(".abcd")]
    [InlineData(".ABCD")]
    [InlineData(".abc")]
    [InlineData(".abcde")]
    [InlineData("-abcd")]
    [InlineData(".ab_d")]
    public void Malformed_tags_are_refused(string suffix)
    {
        var id = SessionIds.Create() + suffix;
        Assert.Equal(suffix == ".abcd", SessionIds.IsWellFormed(id));
        Assert.False(SessionKey.TryParse(new string('a', 64) + suffix.Replace("abcd", "abcd!", StringComparison.Ordinal), out _));
    }
}
