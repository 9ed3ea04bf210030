using System.Collections.Concurrent;

namespace AuthKit.Internal.Keys;

/// <summary>
/// The app's <see cref="IAuthKitKeyRing"/> when keys are managed: the managed <c>cookies</c> ring, plus any keys still in
/// <c>AuthKit:Keys</c> as verify-only (so a fleet moves from configured keys to managed ones without signing anyone out).
/// </summary>
internal sealed class ManagedHmacKeyRing(ManagedKeySet set, IReadOnlyList<AuthKitKey> verifyOnly, TimeProvider time) : DynamicKeyRing
{
    private readonly ConcurrentDictionary<string, AuthKitKey> _keys = new(StringComparer.Ordinal);
    private View? _view;

    public override IAuthKitKeyRing Current
    {
        get
        {
            var snapshot = set.Snapshot;
            var active = snapshot.Active(time.GetUtcNow());
            var view = Volatile.Read(ref _view);
            if (view is not null && ReferenceEquals(view.Snapshot, snapshot) && ReferenceEquals(view.Active, active))
            {
                return view.Ring;
            }

            var keys = new List<AuthKitKey>(snapshot.Keys.Count + verifyOnly.Count);
            foreach (var key in snapshot.Keys)
            {
                keys.Add(_keys.GetOrAdd(key.Id, static (id, material) => new AuthKitKey(id, material), key.Material));
            }

            foreach (var key in verifyOnly)
            {
                if (!keys.Any(k => k.KeyId == key.KeyId))
                {
                    keys.Add(key);
                }
            }

            foreach (var id in _keys.Keys)
            {
                if (!snapshot.Keys.Any(k => k.Id == id))
                {
                    _keys.TryRemove(id, out _);
                }
            }

            view = new View(snapshot, active, new AuthKitKeyRing(keys, active.Id));
            Volatile.Write(ref _view, view);
            return view.Ring;
        }
    }

    private sealed record View(ManagedKeySnapshot Snapshot, ManagedKey Active, AuthKitKeyRing Ring);
}
