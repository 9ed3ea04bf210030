using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// A dictionary with ordinal string keys that makes its storage on the first write: the items and parameters of a session
/// ticket's <c>AuthenticationProperties</c> (empty <see cref="Dictionary{TKey, TValue}"/> instances otherwise, 80 bytes each on
/// every authenticated request) are rarely written. Every operation answers as the framework's own
/// <c>new Dictionary&lt;string, TValue&gt;(StringComparer.Ordinal)</c> does, to which it hands over on the first write.
/// </summary>
internal sealed class LazyDictionary<TValue> : IDictionary<string, TValue>, IReadOnlyDictionary<string, TValue>
{
    private Dictionary<string, TValue>? _items;

    public int Count => _items?.Count ?? 0;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => Items.Keys;

    public ICollection<TValue> Values => Items.Values;

    IEnumerable<string> IReadOnlyDictionary<string, TValue>.Keys => Keys;

    IEnumerable<TValue> IReadOnlyDictionary<string, TValue>.Values => Values;

    private Dictionary<string, TValue> Items => _items ??= new Dictionary<string, TValue>(StringComparer.Ordinal);

    public TValue this[string key]
    {
        get
        {
            if (_items is not null)
            {
                return _items[key];
            }

            ArgumentNullException.ThrowIfNull(key);
            throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");
        }

        set => Items[key] = value;
    }

    public void Add(string key, TValue value) => Items.Add(key, value);

    public void Add(KeyValuePair<string, TValue> item) => ((ICollection<KeyValuePair<string, TValue>>)Items).Add(item);

    public bool ContainsKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _items is not null && _items.ContainsKey(key);
    }

    public bool Contains(KeyValuePair<string, TValue> item) => _items is not null && ((ICollection<KeyValuePair<string, TValue>>)_items).Contains(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_items is not null)
        {
            return _items.TryGetValue(key, out value);
        }

        value = default;
        return false;
    }

    public bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _items is not null && _items.Remove(key);
    }

    public bool Remove(KeyValuePair<string, TValue> item) => _items is not null && ((ICollection<KeyValuePair<string, TValue>>)_items).Remove(item);

    public void Clear() => _items?.Clear();

    public void CopyTo(KeyValuePair<string, TValue>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, TValue>>)Items).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() =>
        _items is not null ? _items.GetEnumerator() : ((IEnumerable<KeyValuePair<string, TValue>>)[]).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
