using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Core.Tests;

/// <summary><c>UseSessionStore&lt;TStore&gt;()</c>: an application's own store becomes the one every package uses.</summary>
public sealed class UseSessionStoreTests
{
    [Fact]
    public void UseSessionStore_makes_the_custom_store_the_ISessionStore_singleton()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Dependency>();
        services.AddAuthKit().UseSessionStore<CustomStore>().UseSessionStore<CustomStore>();
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<CustomStore>(provider.GetRequiredService<ISessionStore>());
        Assert.Same(store, provider.GetRequiredService<CustomStore>());
        Assert.Same(store, provider.GetRequiredService<ISessionStore>());
        Assert.NotNull(store.Dependency);
        Assert.Single(services, d => d.ServiceType == typeof(ISessionStore));
    }

    [Fact]
    public void The_last_store_chosen_wins()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Dependency>();
        services.AddAuthKit().UseSessionStore<CustomStore>().UseMemorySessionStore();
        using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<MemorySessionStore>(provider.GetRequiredService<ISessionStore>());
        }

        services.AddAuthKit().UseSessionStore(sp => new CustomStore(new Dependency()));
        using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<CustomStore>(provider.GetRequiredService<ISessionStore>());
        }
    }

    public sealed class Dependency;

    public sealed class CustomStore(Dependency dependency) : ISessionStore
    {
        private readonly MemorySessionStore _inner = new(Options.Create(new MemorySessionStoreOptions()), TimeProvider.System);

        public Dependency Dependency => dependency;

        public StoreCapabilities Capabilities => _inner.Capabilities;

        public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default) => _inner.CreateAsync(record, cancellationToken);

        public ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default) => _inner.UpdateAsync(record, expectedVersion, cancellationToken);

        public ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default) => _inner.RemoveAsync(key, cancellationToken);

        public ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default) => _inner.RemoveByUserAsync(userId, cancellationToken);

        public IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, CancellationToken cancellationToken = default) => _inner.ListByUserAsync(userId, cancellationToken);
    }
}
