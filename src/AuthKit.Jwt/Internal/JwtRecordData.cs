namespace AuthKit.Jwt.Internal;

/// <summary>
/// Reads and writes the data bag of the token service's records (<see cref="SessionRecord.Data"/>, read-only memory per
/// value) as byte arrays the token service can change before it writes the record back.
/// </summary>
internal static class JwtRecordData
{
    public static byte[]? Get(SessionRecord record, string name) => record.Data.TryGetValue(name, out var value) ? value.ToArray() : null;

    public static Dictionary<string, byte[]> Copy(SessionRecord record)
    {
        var data = new Dictionary<string, byte[]>(record.Data.Count + 2, StringComparer.Ordinal);
        foreach (var (name, value) in record.Data)
        {
            data[name] = value.ToArray();
        }

        return data;
    }

    /// <summary>The record with <paramref name="data"/> as its data bag.</summary>
    public static SessionRecord With(SessionRecord record, Dictionary<string, byte[]> data) =>
        record with { Data = data.ToDictionary(static kv => kv.Key, static kv => (ReadOnlyMemory<byte>)kv.Value, StringComparer.Ordinal) };
}
