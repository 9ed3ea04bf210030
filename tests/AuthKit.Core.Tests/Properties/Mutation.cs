using CsCheck;

namespace AuthKit.Properties;

internal enum MutationKind
{
    Replace,
    Insert,
    Delete,
    Truncate,
    Append,
}

/// <summary>One edit of a valid value: the mutations a forger, a proxy or a torn write produce.</summary>
/// <param name="Kind">What the edit does.</param>
/// <param name="Position">Where, as a fraction of the length (so one generated edit fits any value).</param>
/// <param name="Char">The character replaced in, inserted or appended.</param>
internal readonly record struct Mutation(MutationKind Kind, double Position, char Char)
{
    /// <summary>Characters that matter to the formats under test, then anything.</summary>
    private static readonly Gen<char> s_chars = Gen.Frequency(
        (6, (IGen<char>)Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]),
        (2, Gen.Char[".~:=+/ %\t\r\n\0\"\\{}[],"]),
        (1, Gen.Char['\u0080', '\u00FF']),
        (1, Gen.Char));

    public static Gen<Mutation> Any { get; } = Gen.Select(
        Gen.Frequency((6, (IGen<MutationKind>)Gen.Const(MutationKind.Replace)), (1, Gen.Const(MutationKind.Insert)), (1, Gen.Const(MutationKind.Delete)),
            (1, Gen.Const(MutationKind.Truncate)), (1, Gen.Const(MutationKind.Append))),
        Gen.Double[0, 1],
        s_chars,
        (k, p, c) => new Mutation(k, p, c));

    /// <summary>The edited value; may equal <paramref name="value"/> (a character replaced by itself), which callers check.</summary>
    public string Apply(string value)
    {
        var i = Math.Min((int)(Position * value.Length), Math.Max(value.Length - 1, 0));
        return Kind switch
        {
            MutationKind.Replace when value.Length > 0 => string.Concat(value.AsSpan(0, i), [Char], value.AsSpan(i + 1)),
            MutationKind.Insert => value.Insert(i, Char.ToString()),
            MutationKind.Delete when value.Length > 0 => value.Remove(i, 1),
            MutationKind.Truncate => value[..i],
            _ => value + Char,
        };
    }

    /// <summary>The same edit on bytes (the character's low byte is the byte written).</summary>
    public byte[] Apply(byte[] value)
    {
        var i = Math.Min((int)(Position * value.Length), Math.Max(value.Length - 1, 0));
        var b = (byte)Char;
        return Kind switch
        {
            MutationKind.Replace when value.Length > 0 => [.. value[..i], (byte)(value[i] ^ (b == 0 ? 1 : b)), .. value[(i + 1)..]],
            MutationKind.Insert => [.. value[..i], b, .. value[i..]],
            MutationKind.Delete when value.Length > 0 => [.. value[..i], .. value[(i + 1)..]],
            MutationKind.Truncate => value[..i],
            _ => [.. value, b],
        };
    }

    public override string ToString() => $"{Kind} at {Position:F3} with U+{(int)Char:X4}";
}
