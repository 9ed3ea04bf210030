using System.Text.RegularExpressions;
using AuthKit.Properties;
using CsCheck;

namespace AuthKit.Core.Tests.Properties;

/// <summary>The session-ID format: <c>SessionIds.Create</c> and <c>SessionIds.IsWellFormed</c>, with and without the slot tag.</summary>
public sealed partial class SessionIdProperties
{
    /// <summary>User IDs as apps have them: mostly short ASCII, sometimes any valid UTF-16.</summary>
    internal static readonly Gen<string> UserIds = Gen.Frequency(
        (4, (IGen<string>)Gen.String[Gen.Char.AlphaNumeric, 1, 40]),
        (1, Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 40]));

    private static readonly Gen<string> Ids = Gen.Frequency(
        (1, (IGen<string>)Gen.Const(() => SessionIds.Create())),
        (1, UserIds.Select(SessionIds.Create)));

    [GeneratedRegex("^[A-Za-z0-9_-]{43}(\\.[0-9a-f]{4})?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [Fact]
    public void Created_ids_are_well_formed_and_carry_the_users_slot_tag()
    {
        PropertyRun.Check(UserIds, userId =>
        {
            var plain = SessionIds.Create();
            Assert.Equal(SessionIds.CharLength, plain.Length);
            Assert.True(SessionIds.IsWellFormed(plain));
            Assert.False(SessionKey.FromSessionId(plain).HasSlotTag);

            var tagged = SessionIds.Create(userId);
            Assert.Equal(SessionIds.TaggedCharLength, tagged.Length);
            Assert.True(SessionIds.IsWellFormed(tagged));
            var key = SessionKey.FromSessionId(tagged);
            Assert.True(key.HasSlotTag);
            Assert.Equal(SessionStoreKeys.SlotTag(userId), key.SlotTag);
            Assert.Equal(tagged[^SessionKey.SlotTagLength..], key.SlotTag);
        });
    }

    [Fact]
    public void IsWellFormed_never_throws_and_accepts_exactly_the_documented_shape()
    {
        var gen = Gen.Frequency(
            (3, (IGen<string>)Gen.Select(Ids, Mutation.Any, Mutation.Any, (id, m1, m2) => m2.Apply(m1.Apply(id)))),
            (1, Gen.Select(Ids, Mutation.Any, (id, m) => m.Apply(id))),
            (1, Gen.String[0, 60]));
        PropertyRun.Check(gen, text => Assert.Equal(Shape().IsMatch(text), SessionIds.IsWellFormed(text)));
    }

    [Fact]
    public void Every_mutation_of_an_id_is_refused_or_names_another_record()
    {
        PropertyRun.Check(Gen.Select(Ids, Mutation.Any), (id, mutation) =>
        {
            var mutated = mutation.Apply(id);
            if (mutated == id || !SessionIds.IsWellFormed(mutated))
            {
                return;
            }

            Assert.NotEqual(SessionKey.FromSessionId(id), SessionKey.FromSessionId(mutated));
        });
    }
}
