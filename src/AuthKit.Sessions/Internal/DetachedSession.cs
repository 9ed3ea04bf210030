using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// <c>HttpContext.Session</c> on a request whose user is not the session cookie's user (it authenticated by Basic or Bearer as
/// someone else, or carries a signed-in session while <c>HttpContext.User</c> is anonymous): empty, not available, and never
/// stored. Values written live for this request only, so one request never speaks for two users.
/// </summary>
internal sealed class DetachedSession(SessionRuntime runtime) : ISession
{
    private Dictionary<string, byte[]>? _values;

    public bool IsAvailable => false;

    public string Id => string.Empty;

    public IEnumerable<string> Keys => _values is null ? [] : [.. _values.Keys];

    public Task LoadAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CommitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public bool TryGetValue(string key, [NotNullWhen(true)] out byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_values is not null && _values.TryGetValue(key, out var stored))
        {
            value = stored.ToArray();
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        runtime.WarnDetachedWrite();
        (_values ??= new Dictionary<string, byte[]>(StringComparer.Ordinal))[key] = value.ToArray();
    }

    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _values?.Remove(key);
    }

    public void Clear() => _values?.Clear();
}
