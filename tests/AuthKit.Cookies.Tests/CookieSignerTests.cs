using AuthKit.Cookies.Internal;

namespace AuthKit.Cookies.Tests;

public sealed class CookieSignerTests
{
    private static readonly AuthKitKey Key1 = new("k1", Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly AuthKitKey Key2 = new("k2", Enumerable.Repeat((byte)2, 32).ToArray());

    [Fact]
    public void Signed_value_round_trips_and_names_its_key()
    {
        var signer = new AuthKitCookieSigner(new AuthKitKeyRing([Key1]), "test");
        var id = SessionIds.Create();

        var signed = signer.Sign(id);

        Assert.StartsWith(id + "~k1~", signed, StringComparison.Ordinal);
        Assert.True(signer.TryUnprotect(signed, out var value));
        Assert.Equal(id, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain-value")]
    [InlineData("value~k1")]
    [InlineData("value~k1~short")]
    [InlineData("~k1~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("value~~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("value~k1~!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void Malformed_or_unsigned_values_read_as_absent(string? input)
    {
        var signer = new AuthKitCookieSigner(new AuthKitKeyRing([Key1]), "test");

        Assert.False(signer.TryUnprotect(input, out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Any_altered_character_is_refused()
    {
        var signer = new AuthKitCookieSigner(new AuthKitKeyRing([Key1]), "test");
        var signed = signer.Sign("session-123");

        for (var i = 0; i < signed.Length; i++)
        {
            var chars = signed.ToCharArray();
            chars[i] = chars[i] == 'x' ? 'y' : 'x';
            Assert.False(signer.TryUnprotect(new string(chars), out _), $"altered at {i}");
        }
    }

    [Fact]
    public void Keys_rotate_the_active_key_signs_and_older_keys_still_verify_until_removed()
    {
        var old = new AuthKitCookieSigner(new AuthKitKeyRing([Key1]), "test");
        var rotated = new AuthKitCookieSigner(new AuthKitKeyRing([Key1, Key2], activeKeyId: "k2"), "test");
        var retired = new AuthKitCookieSigner(new AuthKitKeyRing([Key2]), "test");
        var fromOld = old.Sign("v");

        Assert.True(rotated.TryUnprotect(fromOld, out _));
        Assert.Contains("~k2~", rotated.Sign("v"), StringComparison.Ordinal);
        Assert.False(retired.TryUnprotect(fromOld, out _));
    }

    [Fact]
    public void A_value_signed_for_one_purpose_never_verifies_for_another()
    {
        var ring = new AuthKitKeyRing([Key1]);
        var sessions = new AuthKitCookieSigner(ring, "AuthKit.Sessions.Cookie");
        var other = new AuthKitCookieSigner(ring, "Something.Else");

        Assert.False(other.TryUnprotect(sessions.Sign("v"), out _));
    }

    [Fact]
    public void Values_containing_the_separator_and_long_values_round_trip()
    {
        var signer = new AuthKitCookieSigner(new AuthKitKeyRing([Key1]), "test");
        var tricky = "a~b~c" + new string('z', 2000);

        Assert.True(signer.TryUnprotect(signer.Sign(tricky), out var value));
        Assert.Equal(tricky, value);
    }
}
