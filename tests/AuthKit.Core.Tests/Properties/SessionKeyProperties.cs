using AuthKit.Properties;
using CsCheck;

namespace AuthKit.Core.Tests.Properties;

/// <summary>The session-key text form: <c>SessionKey.FromSessionId</c>, <c>ToString</c> and <c>TryParse</c>.</summary>
public sealed class SessionKeyProperties
{
    private static readonly Gen<SessionKey> Keys = Gen.Frequency(
        (2, (IGen<SessionKey>)Gen.Const(() => SessionKey.FromSessionId(SessionIds.Create()))),
        (2, SessionIdProperties.UserIds.Select(u => SessionKey.FromSessionId(SessionIds.Create(u)))),
        (1, Gen.Byte.Array[SessionKey.Length].Select(b => SessionKey.FromBytes(b))),
        (1, Gen.String.Select(s => SessionKey.FromSessionId(s))));

    [Fact]
    public void ToString_and_TryParse_round_trip_the_digest_and_the_slot_tag()
    {
        PropertyRun.Check(Keys, key =>
        {
            var text = key.ToString();
            Assert.True(SessionKey.TryParse(text, out var parsed));
            Assert.Equal(key, parsed);
            Assert.Equal(key.SlotTag, parsed.SlotTag);
            Assert.Equal(key.HasSlotTag, parsed.HasSlotTag);
            Assert.Equal(text, parsed.ToString());
            Assert.Equal(key, SessionKey.FromBytes(key.ToArray()));
        });
    }

    [Fact]
    public void TryParse_never_throws_and_what_it_accepts_writes_back_the_same()
    {
        var gen = Gen.Frequency(
            (3, (IGen<string>)Gen.Select(Keys, Mutation.Any, (k, m) => m.Apply(k.ToString()))),
            (1, Gen.String[0, 80]));
        PropertyRun.Check(gen, text =>
        {
            if (!SessionKey.TryParse(text, out var key))
            {
                return;
            }

            // Hexadecimal digits are read in either case; the key always writes lowercase.
            Assert.Equal(text, key.ToString(), ignoreCase: true);
            Assert.Equal(text.Length > SessionKey.Length * 2, key.HasSlotTag);
        });
    }

    [Fact]
    public void Every_mutation_of_a_key_text_is_refused_or_reads_as_another_key()
    {
        PropertyRun.Check(Gen.Select(Keys, Mutation.Any), (key, mutation) =>
        {
            var text = key.ToString();
            var mutated = mutation.Apply(text);
            if (!SessionKey.TryParse(mutated, out var parsed) || string.Equals(mutated, text, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            Assert.True(parsed != key || parsed.SlotTag != key.SlotTag || parsed.HasSlotTag != key.HasSlotTag, $"{mutated} reads as {text}");
        });
    }

    [Fact]
    public void FromSessionId_never_throws_and_is_a_function_of_the_id()
    {
        PropertyRun.Check(Gen.String[0, 300], id =>
        {
            var a = SessionKey.FromSessionId(id);
            var b = SessionKey.FromSessionId(id.AsSpan());
            Assert.Equal(a, b);
            Assert.Equal(a.SlotTag, b.SlotTag);
            Assert.False(a.IsEmpty);
        });
    }
}
