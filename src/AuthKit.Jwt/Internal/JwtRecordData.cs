namespace AuthKit.Jwt.Internal;

/// <summary>
/// Reads and writes the data bag of the token service's records as byte arrays. It is the one place that knows how
/// <see cref="SessionRecord.Data"/> holds its values: the overloads on the value and bag types pick the right conversion
/// (none for <c>byte[]</c>, a copy for <c>ReadOnlyMemory&lt;byte&gt;</c>), so the token service does not depend on that choice.
/// </summary>
internal static class JwtRecordData
{
    public static byte[]? Get(SessionRecord record, string name) => record.Data.TryGetValue(name, out var value) ? Bytes(value) : null;

    public static Dictionary<string, byte[]> Copy(SessionRecord record)
    {
        var data = new Dictionary<string, byte[]>(record.Data.Count + 2, StringComparer.Ordinal);
        foreach (var (name, value) in record.Data)
        {
            data[name] = Bytes(value);
        }

        return data;
    }

    /// <summary>The record with <paramref name="data"/> as its data bag.</summary>
    public static SessionRecord With(SessionRecord record, Dictionary<string, byte[]> data) => record with { Data = Bag(data, record.Data) };

    internal static byte[] Bytes(byte[] value) => value;

    internal static byte[] Bytes(ReadOnlyMemory<byte> value) => value.ToArray();

    internal static IReadOnlyDictionary<string, byte[]> Bag(Dictionary<string, byte[]> data, IReadOnlyDictionary<string, byte[]> current) => data;

    internal static IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Bag(Dictionary<string, byte[]> data, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> current) =>
        data.ToDictionary(static kv => kv.Key, static kv => (ReadOnlyMemory<byte>)kv.Value, StringComparer.Ordinal);
}
