using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>
/// "Sign out everywhere" for access tokens: <see cref="ITokenService.RevokeAllAccessTokensAsync"/> records a per-user not-before stamp; with
/// <see cref="JwtAuthenticationOptions.EnableUserNotBefore"/> validation refuses the tokens issued before it, at a store read per user per cache interval.
/// </summary>
public sealed class UserNotBeforeTests
{
    private readonly FakeTimeProvider _time = NewClock();
    private readonly CountingStore _store;

    public UserNotBeforeTests()
    {
        _store = new CountingStore(new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), _time));
    }

    private JwtTokenService NotBeforeService(TimeSpan? cache = null) => Service(_time, o =>
    {
        o.EnableUserNotBefore = true;
        o.UserNotBeforeCacheDuration = cache ?? TimeSpan.FromSeconds(10);
    }, _store);

    private async Task<string> IssueAsync(JwtTokenService service, string user = "alice") =>
        (await service.IssueAsync(User(user), cancellationToken: Ct)).AccessToken;

    [Fact]
    public async Task Without_the_opt_in_issued_access_tokens_stay_valid_until_they_expire()
    {
        var service = Service(_time, store: _store);
        var token = await IssueAsync(service);

        await service.RevokeAllAccessTokensAsync("alice", Ct);

        Assert.True((await service.ValidateAsync(token, Ct)).Succeeded);
        Assert.Equal(0, _store.Reads); // and validation never touches the store
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30));
        Assert.Equal(TokenValidationError.Expired, (await service.ValidateAsync(token, Ct)).Error);
    }

    [Fact]
    public async Task With_the_opt_in_revoking_all_access_tokens_refuses_those_already_issued()
    {
        var service = NotBeforeService();
        var before = await IssueAsync(service);
        var bob = await IssueAsync(service, "bob");
        _time.Advance(TimeSpan.FromMinutes(1));
        var later = await IssueAsync(service);
        Assert.True((await service.ValidateAsync(before, Ct)).Succeeded);

        await service.RevokeAllAccessTokensAsync("alice", Ct);

        Assert.Equal(TokenValidationError.Revoked, (await service.ValidateAsync(before, Ct)).Error);
        Assert.Equal(TokenValidationError.Revoked, (await service.ValidateAsync(later, Ct)).Error);
        Assert.True((await service.ValidateAsync(bob, Ct)).Succeeded); // other users are untouched
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await service.ValidateAsync(await IssueAsync(service), Ct)).Succeeded); // a new sign-in works
    }

    [Fact]
    public async Task The_stamp_survives_removing_the_users_records_and_is_kept_as_a_digest()
    {
        var service = NotBeforeService(TimeSpan.Zero);
        var token = await IssueAsync(service);
        await service.RevokeAllAccessTokensAsync("alice", Ct);

        await _store.RemoveByUserAsync("alice", Ct); // "sign out everywhere" on the store

        Assert.Equal(TokenValidationError.Revoked, (await service.ValidateAsync(token, Ct)).Error);
        Assert.Empty(await ListAsync("alice"));
    }

    [Fact]
    public async Task Other_instances_refuse_revoked_tokens_within_the_cache_interval()
    {
        var revoking = NotBeforeService();
        var other = NotBeforeService();
        var token = await IssueAsync(revoking);
        Assert.True((await other.ValidateAsync(token, Ct)).Succeeded); // caches "no stamp"

        await revoking.RevokeAllAccessTokensAsync("alice", Ct);

        Assert.Equal(TokenValidationError.Revoked, (await revoking.ValidateAsync(token, Ct)).Error); // at once where it was revoked
        Assert.True((await other.ValidateAsync(token, Ct)).Succeeded); // the documented window
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TokenValidationError.Revoked, (await other.ValidateAsync(token, Ct)).Error);
    }

    [Fact]
    public async Task The_cost_is_one_store_read_per_user_per_cache_interval()
    {
        var service = NotBeforeService();
        var token = await IssueAsync(service);

        for (var i = 0; i < 100; i++)
        {
            Assert.True((await service.ValidateAsync(token, Ct)).Succeeded);
        }

        Assert.Equal(1, _store.Reads);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await service.ValidateAsync(token, Ct)).Succeeded);
        Assert.Equal(2, _store.Reads);

        var uncached = NotBeforeService(TimeSpan.Zero);
        for (var i = 0; i < 100; i++)
        {
            await uncached.ValidateAsync(token, Ct);
        }

        Assert.Equal(102, _store.Reads);
    }

    [Fact]
    public async Task A_revoked_access_token_gets_401_invalid_token_from_the_bearer_scheme()
    {
        await using var host = await JwtTestHost.StartAsync(o => o.EnableUserNotBefore = true);
        var token = await host.IssueAsync("alice");
        using (var ok = await host.GetAsync("/bearer", ("Authorization", "Bearer " + token)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await host.Tokens.RevokeAllAccessTokensAsync("alice", Ct);

        using var refused = await host.GetAsync("/bearer", ("Authorization", "Bearer " + token));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
    }

    private async Task<List<SessionRecord>> ListAsync(string userId)
    {
        var list = new List<SessionRecord>();
        await foreach (var r in _store.ListByUserAsync(userId, Ct))
        {
            list.Add(r);
        }

        return list;
    }

    /// <summary>A memory store that counts reads.</summary>
    private sealed class CountingStore(MemorySessionStore inner) : ISessionStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public StoreCapabilities Capabilities => inner.Capabilities;

        public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetAsync(key, cancellationToken);
        }

        public ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken cancellationToken = default) => inner.CreateAsync(record, cancellationToken);

        public ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken cancellationToken = default) => inner.UpdateAsync(record, expectedVersion, cancellationToken);

        public ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken cancellationToken = default) => inner.RemoveAsync(key, cancellationToken);

        public ValueTask<int> RemoveByUserAsync(string userId, CancellationToken cancellationToken = default) => inner.RemoveByUserAsync(userId, cancellationToken);

        public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var r in inner.ListByUserAsync(userId, cancellationToken))
            {
                yield return r;
            }
        }
    }
}
