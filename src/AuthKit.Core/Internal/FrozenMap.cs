using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Internal;

/// <summary>
/// The read-only maps of a <see cref="SessionRecord"/> (<see cref="SessionRecord.Data"/>, <see cref="SessionRecord.Metadata"/>):
/// a private dictionary behind a type that implements no mutable interface, so a caller cannot cast it back and change a record.
/// </summary>
internal sealed class FrozenMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    public static readonly FrozenMap<TValue> Empty = new(new Dictionary<string, TValue>(0, StringComparer.Ordinal));

    private readonly Dictionary<string, TValue> _items;

    private FrozenMap(Dictionary<string, TValue> items) => _items = items;

    public int Count => _items.Count;

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<TValue> Values => _items.Values;

    public TValue this[string key] => _items[key];

    /// <summary>Takes ownership of a dictionary nobody else holds (AuthKit's own code: the serializer, the session); no copy.</summary>
    public static FrozenMap<TValue> Own(Dictionary<string, TValue> items) => items.Count == 0 ? Empty : new(items);

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => _items.TryGetValue(key, out value);

    public Dictionary<string, TValue>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
