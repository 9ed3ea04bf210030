using Microsoft.Extensions.Time.Testing;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class RefreshTokenTests
{
    private readonly FakeTimeProvider _time = NewClock();
    private readonly MemorySessionStore _store;
    private readonly JwtTokenService _service;

    public RefreshTokenTests()
    {
        _store = new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), _time);
        _service = Service(_time, null, _store);
    }

    private static readonly TokenIssueOptions WithRefresh = new() { IncludeRefreshToken = true };

    private async Task<List<SessionRecord>> RecordsOf(string userId)
    {
        var list = new List<SessionRecord>();
        await foreach (var r in _store.ListByUserAsync(userId, Ct))
        {
            list.Add(r);
        }

        return list;
    }

    [Fact]
    public async Task Refresh_token_is_opaque_and_its_family_is_stored_only_by_digests()
    {
        var issued = await _service.IssueAsync(User("alice"), WithRefresh, Ct);

        var token = issued.RefreshToken!;
        // {family}.{secret}: the family ID carries alice's slot tag ({random}.{tag}) so a Redis Cluster keeps it beside her index.
        Assert.Equal(92, token.Length);
        Assert.Equal('.', token[48]);
        Assert.Equal(SessionStoreKeys.SlotTag("alice"), token.Substring(44, 4));
        Assert.True(SessionIds.IsWellFormed(token.AsSpan(0, 48)) && SessionIds.IsWellFormed(token.AsSpan(49)));
        Assert.Equal(Start + TimeSpan.FromDays(14), issued.RefreshTokenExpiresAt);
        var record = Assert.Single(await RecordsOf("alice"));
        Assert.Equal(SessionRecordKind.RefreshToken, record.Kind);
        Assert.Equal("alice", record.UserId);
        Assert.Equal(Start + TimeSpan.FromDays(14), record.AbsoluteExpiresAt);
        Assert.NotEqual(SessionKey.FromSessionId(token), record.Key);
        Assert.NotEqual(SessionKey.FromSessionId(token[..43]), record.Key);
        var dump = System.Text.Encoding.UTF8.GetString(SessionRecordSerializer.Serialize(record)) + record.Key;
        Assert.DoesNotContain(token[..43], dump, StringComparison.Ordinal);
        Assert.DoesNotContain(token[44..], dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_rotates_the_pair_and_keeps_one_record_per_family()
    {
        var first = await _service.IssueAsync(User("alice"), new TokenIssueOptions { IncludeRefreshToken = true, Scope = "read", Audience = Audience }, Ct);
        _time.Advance(TimeSpan.FromMinutes(10));

        var result = await _service.RefreshAsync(first.RefreshToken!, Ct);

        Assert.True(result.Succeeded, result.Error.ToString());
        var second = result.Tokens;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(first.RefreshToken![..43], second.RefreshToken![..43]); // same family
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(Start + TimeSpan.FromDays(14), second.RefreshTokenExpiresAt); // rotation never extends the family
        var validated = await _service.ValidateAsync(second.AccessToken, Ct);
        Assert.True(validated.Succeeded);
        Assert.Equal("alice", validated.Principal.Identity!.Name);
        Assert.Equal("read", validated.Principal.FindFirst("scope")!.Value);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(15), second.AccessTokenExpiresAt);

        Assert.Single(await RecordsOf("alice")); // the spent token leaves nothing behind
        var third = await _service.RefreshAsync(second.RefreshToken!, Ct);
        Assert.True(third.Succeeded);
        Assert.Single(await RecordsOf("alice"));
    }

    [Fact]
    public async Task Storage_per_family_stays_one_record_over_10000_refreshes()
    {
        var token = (await _service.IssueAsync(User("looper"), WithRefresh, Ct)).RefreshToken!;
        var first = token;
        Assert.Equal(1, _store.Count);

        for (var i = 0; i < 10_000; i++)
        {
            var r = await _service.RefreshAsync(token, Ct);
            Assert.True(r.Succeeded, r.Error.ToString());
            token = r.Tokens.RefreshToken!;
            if (i % 1000 == 999)
            {
                Assert.Equal(1, _store.Count);
            }
        }

        Assert.Equal(1, _store.Count);
        Assert.Single(await RecordsOf("looper"));
        Assert.Equal(TokenRefreshError.Reused, (await _service.RefreshAsync(first, Ct)).Error); // reuse detection still works after 10 000 rotations
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Any_older_token_of_a_family_is_reuse_and_revokes_the_family()
    {
        var gen1 = (await _service.IssueAsync(User("alice"), WithRefresh, Ct)).RefreshToken!;
        var gen2 = (await _service.RefreshAsync(gen1, Ct)).Tokens!.RefreshToken!;
        var gen3 = (await _service.RefreshAsync(gen2, Ct)).Tokens!.RefreshToken!;
        var gen4 = (await _service.RefreshAsync(gen3, Ct)).Tokens!.RefreshToken!;

        Assert.Equal(TokenRefreshError.Reused, (await _service.RefreshAsync(gen2, Ct)).Error);

        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(gen4, Ct)).Error);
        Assert.Empty(await RecordsOf("alice"));
    }

    [Fact]
    public async Task Reusing_a_spent_token_revokes_the_whole_family()
    {
        var first = await _service.IssueAsync(User("alice"), WithRefresh, Ct);
        var otherFamily = await _service.IssueAsync(User("alice"), WithRefresh, Ct);
        var second = (await _service.RefreshAsync(first.RefreshToken!, Ct)).Tokens!;
        var third = (await _service.RefreshAsync(second.RefreshToken!, Ct)).Tokens!;

        var reuse = await _service.RefreshAsync(first.RefreshToken!, Ct);

        Assert.Equal(TokenRefreshError.Reused, reuse.Error);
        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(third.RefreshToken!, Ct)).Error);
        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(first.RefreshToken!, Ct)).Error);
        Assert.Single(await RecordsOf("alice"));
        Assert.True((await _service.RefreshAsync(otherFamily.RefreshToken!, Ct)).Succeeded);
    }

    private static async Task<TokenRefreshResult[]> RaceAsync(JwtTokenService service, string refreshToken, int racers)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, racers).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            return await service.RefreshAsync(refreshToken, Ct);
        }, Ct)).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_have_exactly_one_winner()
    {
        for (var round = 0; round < 10; round++)
        {
            var issued = await _service.IssueAsync(User("racer-" + round), WithRefresh, Ct);

            var results = await RaceAsync(_service, issued.RefreshToken!, 8);

            Assert.Single(results, r => r.Succeeded);

            // Strict RFC 9700: a loser that arrives after the winner finished is a reuse, which revokes the family;
            // later losers then find nothing (Invalid).
            Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Error, new[] { TokenRefreshError.Conflict, TokenRefreshError.Reused, TokenRefreshError.Invalid }));
        }
    }

    [Fact]
    public async Task With_a_reuse_interval_racing_losers_get_conflict_and_the_family_survives()
    {
        var service = Service(_time, o => o.RefreshTokenReuseInterval = TimeSpan.FromSeconds(5), _store);
        for (var round = 0; round < 10; round++)
        {
            var issued = await service.IssueAsync(User("tab-" + round), WithRefresh, Ct);

            var results = await RaceAsync(service, issued.RefreshToken!, 8);

            var winner = Assert.Single(results, r => r.Succeeded);
            Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(TokenRefreshError.Conflict, r.Error));
            Assert.True((await service.RefreshAsync(winner.Tokens!.RefreshToken!, Ct)).Succeeded);
        }

        // Past the interval, a spent token is a reuse again.
        var late = await service.IssueAsync(User("late"), WithRefresh, Ct);
        Assert.True((await service.RefreshAsync(late.RefreshToken!, Ct)).Succeeded);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TokenRefreshError.Reused, (await service.RefreshAsync(late.RefreshToken!, Ct)).Error);
    }

    [Fact]
    public async Task Family_expires_at_its_absolute_lifetime_whatever_the_rotations()
    {
        var service = Service(_time, o => o.RefreshTokenLifetime = TimeSpan.FromHours(10), _store);
        var token = (await service.IssueAsync(User("alice"), WithRefresh, Ct)).RefreshToken!;
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromHours(2));
            var r = await service.RefreshAsync(token, Ct);
            Assert.True(r.Succeeded);
            Assert.Equal(Start + TimeSpan.FromHours(10), r.Tokens.RefreshTokenExpiresAt);
            token = r.Tokens.RefreshToken!;
        }

        _time.Advance(TimeSpan.FromHours(2));
        var expired = await service.RefreshAsync(token, Ct);

        Assert.False(expired.Succeeded);
        Assert.Equal(TokenRefreshError.Invalid, expired.Error); // the store drops expired records: an expired token is an unknown one
        Assert.Empty(await RecordsOf("alice"));
    }

    [Fact]
    public async Task Idle_lifetime_ends_an_unused_token_and_each_rotation_restarts_it()
    {
        var service = Service(_time, o => o.RefreshTokenIdleLifetime = TimeSpan.FromHours(1), _store);
        var issued = await service.IssueAsync(User("alice"), WithRefresh, Ct);
        Assert.Equal(Start + TimeSpan.FromHours(1), issued.RefreshTokenExpiresAt);

        _time.Advance(TimeSpan.FromMinutes(50));
        var rotated = await service.RefreshAsync(issued.RefreshToken!, Ct);
        Assert.True(rotated.Succeeded);
        _time.Advance(TimeSpan.FromMinutes(50));
        Assert.True((await service.RefreshAsync(rotated.Tokens.RefreshToken!, Ct)).Succeeded);

        var idle = await service.IssueAsync(User("bob"), WithRefresh, Ct);
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.False((await service.RefreshAsync(idle.RefreshToken!, Ct)).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // the 1.0 previews' format
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public async Task Unknown_refresh_tokens_are_invalid(string token)
    {
        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(token, Ct)).Error);
        Assert.False(await _service.RevokeRefreshTokenAsync(token, Ct));
    }

    [Fact]
    public async Task A_session_id_is_not_a_refresh_token()
    {
        var id = SessionIds.Create();
        await _store.CreateAsync(new SessionRecord
        {
            Key = SessionKey.FromSessionId(id),
            UserId = "alice",
            Principal = User("alice"),
            CreatedAt = Start,
            LastSeenAt = Start,
            IdleExpiresAt = Start.AddHours(1),
            AbsoluteExpiresAt = Start.AddHours(1),
        }, Ct);

        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(id, Ct)).Error);
        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(id + "." + id, Ct)).Error);
        Assert.NotNull(await _store.GetAsync(SessionKey.FromSessionId(id), Ct));
    }

    [Fact]
    public async Task Revoking_a_refresh_token_revokes_its_family_only()
    {
        var first = await _service.IssueAsync(User("alice"), WithRefresh, Ct);
        var second = (await _service.RefreshAsync(first.RefreshToken!, Ct)).Tokens!;
        var other = await _service.IssueAsync(User("alice"), WithRefresh, Ct);

        Assert.True(await _service.RevokeRefreshTokenAsync(first.RefreshToken!, Ct));

        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(second.RefreshToken!, Ct)).Error);
        Assert.True((await _service.RefreshAsync(other.RefreshToken!, Ct)).Succeeded);
    }

    [Fact]
    public async Task Revoking_a_user_ends_every_family_and_leaves_sessions_alone()
    {
        await _service.IssueAsync(User("alice"), WithRefresh, Ct);
        var second = await _service.IssueAsync(User("alice"), WithRefresh, Ct);
        var bob = await _service.IssueAsync(User("bob"), WithRefresh, Ct);
        var sessionId = SessionIds.Create();
        await _store.CreateAsync(new SessionRecord
        {
            Key = SessionKey.FromSessionId(sessionId),
            UserId = "alice",
            CreatedAt = Start,
            LastSeenAt = Start,
            IdleExpiresAt = Start.AddHours(1),
            AbsoluteExpiresAt = Start.AddHours(1),
        }, Ct);

        Assert.Equal(2, await _service.RevokeAllRefreshTokensAsync("alice", Ct));

        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(second.RefreshToken!, Ct)).Error);
        Assert.True((await _service.RefreshAsync(bob.RefreshToken!, Ct)).Succeeded);
        Assert.NotNull(await _store.GetAsync(SessionKey.FromSessionId(sessionId), Ct));
    }

    [Fact]
    public async Task Store_remove_by_user_ends_refresh_families_too()
    {
        var issued = await _service.IssueAsync(User("alice"), WithRefresh, Ct);

        await _store.RemoveByUserAsync("alice", Ct);

        Assert.Equal(TokenRefreshError.Invalid, (await _service.RefreshAsync(issued.RefreshToken!, Ct)).Error);
    }

    [Fact]
    public async Task A_user_past_the_family_quota_loses_the_oldest_families_first()
    {
        var service = Service(_time, o => o.MaxRefreshTokenFamiliesPerUser = 3, _store);
        var bob = await service.IssueAsync(User("bob"), WithRefresh, Ct);
        var families = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            families.Add((await service.IssueAsync(User("alice"), WithRefresh, Ct)).RefreshToken!);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, (await RecordsOf("alice")).Count);
        Assert.Equal(TokenRefreshError.Invalid, (await service.RefreshAsync(families[0], Ct)).Error);
        Assert.Equal(TokenRefreshError.Invalid, (await service.RefreshAsync(families[1], Ct)).Error);
        for (var i = 2; i < 5; i++)
        {
            Assert.True((await service.RefreshAsync(families[i], Ct)).Succeeded);
        }

        Assert.True((await service.RefreshAsync(bob.RefreshToken!, Ct)).Succeeded); // other users are untouched
    }

    [Fact]
    public async Task One_users_refresh_loop_never_fills_the_store_for_another_user()
    {
        // A store capped at 300 records: before, one user's refresh loop filled it in 0.7 s and the next sign-in got 503.
        var store = new MemorySessionStore(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions { MaxRecords = 300 }), _time);
        var service = Service(_time, o => o.MaxRefreshTokenFamiliesPerUser = 10, store);
        for (var i = 0; i < 50; i++)
        {
            var token = (await service.IssueAsync(User("mallory"), WithRefresh, Ct)).RefreshToken!;
            for (var j = 0; j < 20; j++)
            {
                token = (await service.RefreshAsync(token, Ct)).Tokens!.RefreshToken!;
            }
        }

        Assert.True(store.Count <= 10, store.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var alice = await service.IssueAsync(User("alice"), WithRefresh, Ct);
        Assert.True((await service.RefreshAsync(alice.RefreshToken!, Ct)).Succeeded);
    }

    [Fact]
    public async Task A_refresh_token_is_refused_by_another_issuer_or_audience_on_the_same_store()
    {
        var appA = Service(_time, o => o.Issuer = "https://a.test", _store);
        var appB = Service(_time, o => o.Issuer = "https://b.test", _store);
        var apiC = Service(_time, o => o.Issuer = "https://a.test", _store); // same issuer as A…
        var fromA = (await appA.IssueAsync(User("alice"), WithRefresh, Ct)).RefreshToken!;
        var apiD = Service(_time, o => { o.Issuer = "https://a.test"; o.Audience = "https://d.test"; }, _store); // …another audience

        Assert.Equal(TokenRefreshError.Invalid, (await appB.RefreshAsync(fromA, Ct)).Error);
        Assert.Equal(TokenRefreshError.Invalid, (await apiD.RefreshAsync(fromA, Ct)).Error);
        Assert.False(await appB.RevokeRefreshTokenAsync(fromA, Ct));
        Assert.Equal(0, await appB.RevokeAllRefreshTokensAsync("alice", Ct));

        // Refused without harm: the family is intact, and redeemable where it was issued.
        var rotated = await apiC.RefreshAsync(fromA, Ct);
        Assert.True(rotated.Succeeded, rotated.Error.ToString());
        Assert.True((await appA.RefreshAsync(rotated.Tokens.RefreshToken!, Ct)).Succeeded);
    }
}
