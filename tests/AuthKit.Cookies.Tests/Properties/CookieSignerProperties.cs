using AuthKit.Cookies.Internal;
using AuthKit.Properties;
using CsCheck;

namespace AuthKit.Cookies.Tests.Properties;

/// <summary>The signed cookie value <c>{value}~{keyId}~{mac}</c>: <c>AuthKitCookieSigner.Sign</c> and <c>TryUnprotect</c>.</summary>
public sealed class CookieSignerProperties
{
    private static readonly AuthKitKey Old = new("k1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly AuthKitKey Active = new("2026-01", Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private static readonly AuthKitCookieSigner Signer = new(new AuthKitKeyRing([Active, Old]), "AuthKit.Sessions.Cookie");
    private static readonly AuthKitCookieSigner OldSigner = new(new AuthKitKeyRing([Old]), "AuthKit.Sessions.Cookie");

    private static readonly Gen<string> Values = Gen.Frequency(
        (3, (IGen<string>)Gen.Const(() => SessionIds.Create())),
        (2, Gen.String[Gen.Char.AlphaNumeric, 0, 60]),
        (1, Gen.String[Gen.Char["ab~.-_=%"], 0, 20]),
        (1, Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 300]));

    private static readonly Gen<string> Signed = Gen.Select(Values, Gen.Bool, (v, old) => (old ? OldSigner : Signer).Sign(v));

    [Fact]
    public void Every_signed_value_round_trips()
    {
        PropertyRun.Check(Values, value =>
        {
            Assert.True(Signer.TryUnprotect(Signer.Sign(value), out var read));
            Assert.Equal(value, read);
            Assert.True(Signer.TryUnprotect(OldSigner.Sign(value), out read));
            Assert.Equal(value, read);
        });
    }

    [Fact]
    public void Every_single_character_mutation_of_a_signed_value_is_refused()
    {
        PropertyRun.Check(Gen.Select(Signed, Mutation.Any), (signed, mutation) =>
        {
            var mutated = mutation.Apply(signed);
            if (mutated == signed)
            {
                return;
            }

            Assert.False(Signer.TryUnprotect(mutated, out _), $"{mutation}: {mutated}");
        });
    }

    /// <summary>The last MAC character carries 2 unused bits: each of the 63 other characters there must be refused.</summary>
    [Fact]
    public void Every_other_last_mac_character_is_refused()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        PropertyRun.Check(Signed, signed =>
        {
            foreach (var c in Alphabet)
            {
                if (c != signed[^1])
                {
                    Assert.False(Signer.TryUnprotect(signed[..^1] + c, out _), $"last character {signed[^1]} -> {c}");
                }
            }
        }, ciIterations: 1_000);
    }

    [Fact]
    public void Arbitrary_text_never_throws_and_is_never_accepted()
    {
        var gen = Gen.Frequency(
            (1, (IGen<string>)Gen.String[0, 120]),
            (1, Gen.Select(Values, Gen.String[Gen.Char["abk12-_~"], 0, 10], Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_= "], 40, 46],
                (v, k, m) => v + "~" + k + "~" + m)));
        PropertyRun.Check(gen, text => Assert.False(Signer.TryUnprotect(text, out _)));
    }
}
