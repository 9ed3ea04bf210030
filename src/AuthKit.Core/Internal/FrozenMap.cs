using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Internal;

/// <summary>
/// The read-only maps of a <see cref="SessionRecord"/> (<see cref="SessionRecord.Data"/>, <see cref="SessionRecord.Metadata"/>):
/// a private dictionary behind a type that implements no mutable interface, so a caller cannot cast it back and change a record.
/// </summary>
/// <remarks>
/// A small map (at most <see cref="SmallLimit"/> entries, the usual session data bag) is a plain array searched in order: a
/// request that writes its session builds one array, not a dictionary with its buckets.
/// </remarks>
internal sealed class FrozenMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    /// <summary>The most entries <see cref="Own(KeyValuePair{string, TValue}[])"/> keeps as an array.</summary>
    public const int SmallLimit = 8;

    public static readonly FrozenMap<TValue> Empty = new(Array.Empty<KeyValuePair<string, TValue>>());

    // Exactly one is set: the small array (distinct keys), or the dictionary.
    private readonly KeyValuePair<string, TValue>[]? _small;
    private readonly Dictionary<string, TValue>? _items;

    private FrozenMap(Dictionary<string, TValue> items) => _items = items;

    private FrozenMap(KeyValuePair<string, TValue>[] small) => _small = small;

    public int Count => _small?.Length ?? _items!.Count;

    public IEnumerable<string> Keys => _small is not null ? Array.ConvertAll(_small, static p => p.Key) : _items!.Keys;

    public IEnumerable<TValue> Values => _small is not null ? Array.ConvertAll(_small, static p => p.Value) : _items!.Values;

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    /// <summary>Takes ownership of a dictionary nobody else holds (AuthKit's own code: the serializer, the session); no copy.</summary>
    public static FrozenMap<TValue> Own(Dictionary<string, TValue> items) => items.Count == 0 ? Empty : new(items);

    /// <summary>
    /// Takes ownership of an array nobody else holds, of distinct keys (compared ordinally); no copy up to
    /// <see cref="SmallLimit"/> entries, a dictionary beyond.
    /// </summary>
    public static FrozenMap<TValue> Own(KeyValuePair<string, TValue>[] items)
    {
        if (items.Length == 0)
        {
            return Empty;
        }

        if (items.Length > SmallLimit)
        {
            return new(new Dictionary<string, TValue>(items, StringComparer.Ordinal));
        }

        Debug.Assert(items.DistinctBy(p => p.Key, StringComparer.Ordinal).Count() == items.Length, "The keys of a small map are distinct.");
        return new(items);
    }

    public bool ContainsKey(string key) => _small is not null ? IndexOf(_small, key) >= 0 : _items!.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_small is null)
        {
            return _items!.TryGetValue(key, out value);
        }

        var index = IndexOf(_small, key);
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = _small[index].Value;
        return true;
    }

    public Enumerator GetEnumerator() => new(_small, _items);

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int IndexOf(KeyValuePair<string, TValue>[] small, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < small.Length; i++)
        {
            if (string.Equals(small[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Enumerates either form without allocating.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, TValue>>
    {
        private readonly KeyValuePair<string, TValue>[]? _small;
        private Dictionary<string, TValue>.Enumerator _items;
        private int _index;

        internal Enumerator(KeyValuePair<string, TValue>[]? small, Dictionary<string, TValue>? items)
        {
            _small = small;
            _items = small is null ? items!.GetEnumerator() : default;
            _index = -1;
        }

        public KeyValuePair<string, TValue> Current => _small is not null ? _small[_index] : _items.Current;

        object IEnumerator.Current => Current;

        public bool MoveNext() => _small is not null ? ++_index < _small.Length : _items.MoveNext();

        public void Reset() => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
