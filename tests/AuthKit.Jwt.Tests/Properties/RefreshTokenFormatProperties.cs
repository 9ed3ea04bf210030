using System.Text.RegularExpressions;
using AuthKit.Jwt.Internal;
using AuthKit.Properties;
using CsCheck;

namespace AuthKit.Jwt.Tests.Properties;

/// <summary>The refresh-token format <c>{family}.{secret}</c>: <c>JwtRefreshToken.Format</c> and <c>TryParse</c>.</summary>
public sealed partial class RefreshTokenFormatProperties
{
    private static readonly Gen<string> UserIds = Gen.Frequency(
        (4, (IGen<string>)Gen.String[Gen.Char.AlphaNumeric, 1, 40]),
        (1, Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 40]));

    /// <summary>Family IDs as the token service makes them: untagged (43 characters) or with the user's slot tag (48).</summary>
    private static readonly Gen<string> Families = Gen.Frequency(
        (1, (IGen<string>)Gen.Const(() => SessionIds.Create())),
        (2, UserIds.Select(SessionIds.Create)));

    private static readonly Gen<(string Family, string Secret)> Parts = Gen.Select(Families, Gen.Const(() => SessionIds.Create()), (f, s) => (f, s));

    [GeneratedRegex("^[A-Za-z0-9_-]{43}(\\.[0-9a-f]{4})?\\.[A-Za-z0-9_-]{43}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [Fact]
    public void Every_formatted_token_parses_back_to_its_family_and_secret()
    {
        PropertyRun.Check(Parts, parts =>
        {
            var token = JwtRefreshToken.Format(parts.Family, parts.Secret);
            Assert.Equal(parts.Family.Length == SessionIds.TaggedCharLength ? JwtRefreshToken.TaggedLength : JwtRefreshToken.Length, token.Length);
            Assert.True(JwtRefreshToken.TryParse(token, out var family, out var secret));
            Assert.Equal(parts.Family, family);
            Assert.Equal(parts.Secret, secret);
            Assert.Equal(SessionKey.FromSessionId(parts.Family).SlotTag, SessionKey.FromSessionId(family).SlotTag);
        });
    }

    [Fact]
    public void TryParse_never_throws_and_accepts_exactly_the_documented_shape()
    {
        var gen = Gen.Frequency(
            (3, (IGen<string>)Gen.Select(Parts, Mutation.Any, Mutation.Any, (p, m1, m2) => m2.Apply(m1.Apply(JwtRefreshToken.Format(p.Family, p.Secret))))),
            (1, Gen.Select(Parts, Mutation.Any, (p, m) => m.Apply(JwtRefreshToken.Format(p.Family, p.Secret)))),
            (1, Gen.String[0, 100]));
        PropertyRun.Check(gen, text =>
        {
            var accepted = JwtRefreshToken.TryParse(text, out var family, out var secret);
            Assert.Equal(Shape().IsMatch(text), accepted);
            if (accepted)
            {
                Assert.Equal(text, JwtRefreshToken.Format(family!, secret!));
            }
        });
    }

    [Fact]
    public void Every_mutation_of_a_token_is_refused_or_names_another_family_or_secret()
    {
        PropertyRun.Check(Gen.Select(Parts, Mutation.Any), (parts, mutation) =>
        {
            var token = JwtRefreshToken.Format(parts.Family, parts.Secret);
            var mutated = mutation.Apply(token);
            if (mutated == token || !JwtRefreshToken.TryParse(mutated, out var family, out var secret))
            {
                return;
            }

            Assert.True(
                SessionKey.FromSessionId(family) != SessionKey.FromSessionId(parts.Family) || SessionKey.FromSessionId(secret) != SessionKey.FromSessionId(parts.Secret),
                mutated);
        });
    }
}
