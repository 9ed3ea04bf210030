namespace AuthKit.Sessions.Internal;

/// <summary>
/// One request's changes to the data bag: a value for a set, <see langword="null"/> for a remove, one per key, enumerated in the
/// order the keys were first changed. A request usually changes a key or two: up to <see cref="ListLimit"/> keys live in a small
/// array searched in order (no dictionary per writing request); past that they move to a dictionary.
/// </summary>
/// <remarks>
/// A mutable struct of one field (it lives in every request's session): kept in a field and changed in place, never copied. The
/// small array is filled from the start, so its first empty slot marks its count.
/// </remarks>
internal struct SessionChanges
{
    private const int ListLimit = 8;

    // The small array, or the dictionary once past ListLimit.
    private object? _items;

    public readonly int Count => _items is Dictionary<string, byte[]?> map ? map.Count : ListCount(_items as KeyValuePair<string, byte[]?>[]);

    public readonly bool TryGetValue(string key, out byte[]? value)
    {
        if (_items is Dictionary<string, byte[]?> map)
        {
            return map.TryGetValue(key, out value);
        }

        var index = IndexOf(key);
        value = index >= 0 ? List[index].Value : null;
        return index >= 0;
    }

    public readonly bool ContainsKey(string key) => _items is Dictionary<string, byte[]?> map ? map.ContainsKey(key) : IndexOf(key) >= 0;

    public void Set(string key, byte[]? value)
    {
        if (_items is Dictionary<string, byte[]?> map)
        {
            map[key] = value;
            return;
        }

        var index = IndexOf(key);
        if (index >= 0)
        {
            List[index] = new(key, value);
            return;
        }

        var list = _items as KeyValuePair<string, byte[]?>[];
        var count = ListCount(list);
        if (count == ListLimit)
        {
            map = new Dictionary<string, byte[]?>(ListLimit * 2, StringComparer.Ordinal);
            foreach (var (k, v) in list!)
            {
                map[k] = v;
            }

            map[key] = value;
            _items = map;
            return;
        }

        if (list is null || count == list.Length)
        {
            // 1, 4, then ListLimit: most writing requests change one key.
            Array.Resize(ref list, list is null ? 1 : Math.Min(list.Length * 4, ListLimit));
            _items = list;
        }

        list[count] = new(key, value);
    }

    /// <summary>Forgets every change (keeping a small array for the request's next ones).</summary>
    public void Clear()
    {
        if (_items is KeyValuePair<string, byte[]?>[] list)
        {
            Array.Clear(list);
        }
        else
        {
            _items = null;
        }
    }

    public readonly Enumerator GetEnumerator() => new(_items);

    private readonly KeyValuePair<string, byte[]?>[] List => (KeyValuePair<string, byte[]?>[])_items!;

    private static int ListCount(KeyValuePair<string, byte[]?>[]? list)
    {
        if (list is null)
        {
            return 0;
        }

        var count = 0;
        while (count < list.Length && list[count].Key is not null)
        {
            count++;
        }

        return count;
    }

    private readonly int IndexOf(string key)
    {
        if (_items is not KeyValuePair<string, byte[]?>[] list)
        {
            return -1;
        }

        for (var i = 0; i < list.Length && list[i].Key is not null; i++)
        {
            if (string.Equals(list[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Enumerates the changes without allocating.</summary>
    public struct Enumerator
    {
        private readonly KeyValuePair<string, byte[]?>[]? _list;
        private readonly int _count;
        private Dictionary<string, byte[]?>.Enumerator _mapEnumerator;
        private readonly bool _useMap;
        private int _index;

        internal Enumerator(object? items)
        {
            var map = items as Dictionary<string, byte[]?>;
            _list = items as KeyValuePair<string, byte[]?>[];
            _count = ListCount(_list);
            _useMap = map is not null;
            _mapEnumerator = map is not null ? map.GetEnumerator() : default;
            _index = -1;
        }

        public KeyValuePair<string, byte[]?> Current => _useMap ? _mapEnumerator.Current : _list![_index];

        public bool MoveNext() => _useMap ? _mapEnumerator.MoveNext() : ++_index < _count;
    }
}
