using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

/// <summary>
/// A store that fails or hangs: the bearer scheme (with the <c>jti</c> denylist) and the token endpoints answer 503 with <c>Retry-After</c>,
/// never a 500, never an authenticated request; failures are logged once per interval; <c>ValidateAsync</c> throws <see cref="SessionStoreException"/>.
/// </summary>
public sealed class StoreFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // ---------------------------------------------------------------- bearer scheme

    [Theory]
    [InlineData("/bearer")]         // the scheme named on the endpoint
    [InlineData("/default")]        // through the AuthKit policy scheme
    [InlineData("/anonymous")]      // an endpoint that allows anonymous users must not run as anonymous either
    public async Task A_throwing_store_during_the_jti_lookup_answers_503_with_retry_after(string path)
    {
        await using var app = await StoreHost.StartAsync(denylist: true);
        var token = await app.IssueAsync();
        app.Store.Mode = StoreMode.Throw;

        using var response = await app.GetAsync(path, token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", Header(response, "Retry-After"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(Ct));
        Assert.True(app.Store.Calls > 0);
    }

    [Theory]
    [InlineData("/bearer")]
    [InlineData("/anonymous")]
    public async Task A_hanging_store_answers_503_once_the_store_timeout_passes(string path)
    {
        await using var app = await StoreHost.StartAsync(denylist: true);
        var token = await app.IssueAsync();
        app.Store.Mode = StoreMode.Hang;

        var request = app.GetAsync(path, token);
        await app.Store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(request.IsCompleted);
        app.Time.Advance(Timeout);
        using var response = await request.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", Header(response, "Retry-After"));
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Contains(app.Logs.Entries, e => e.Id == 7030 && e.Message.Contains("StoreTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_that_recovers_authenticates_again_without_a_restart()
    {
        await using var app = await StoreHost.StartAsync(denylist: true);
        var token = await app.IssueAsync();
        app.Store.Mode = StoreMode.Throw;
        using (var down = await app.GetAsync("/bearer", token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        app.Store.Mode = StoreMode.Normal;
        using var up = await app.GetAsync("/bearer", token);

        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.Equal("hello alice", await up.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Store_failures_are_logged_once_per_interval_with_the_count_of_those_not_logged()
    {
        await using var app = await StoreHost.StartAsync(denylist: true);
        var token = await app.IssueAsync();
        app.Store.Mode = StoreMode.Throw;

        for (var i = 0; i < 5; i++)
        {
            using var response = await app.GetAsync("/bearer", token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var first = Assert.Single(app.Logs.Entries, e => e.Id == 7030);
        Assert.Equal(LogLevel.Error, first.Level);
        Assert.Contains("read", first.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, first.Message, StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        using (var later = await app.GetAsync("/bearer", token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, later.StatusCode);
        }

        var entries = app.Logs.Entries.Where(e => e.Id == 7030).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains("4 further store failures", entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_denylist_a_broken_store_does_not_touch_bearer_requests()
    {
        await using var app = await StoreHost.StartAsync(denylist: false);
        var token = await app.IssueAsync();
        app.Store.Mode = StoreMode.Throw;
        var before = app.Store.Calls;

        using var response = await app.GetAsync("/bearer", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, app.Store.Calls);
    }

    [Fact]
    public async Task A_refused_token_is_still_a_401_while_the_store_is_down()
    {
        // The store is only asked about tokens that are otherwise valid: a bad token never waits on it.
        await using var app = await StoreHost.StartAsync(denylist: true);
        app.Store.Mode = StoreMode.Throw;

        using var response = await app.GetAsync("/bearer", "not.a.token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, app.Store.Calls);
    }

    // ---------------------------------------------------------------- ITokenService contract

    [Fact]
    public async Task ValidateAsync_throws_SessionStoreException_when_the_store_fails()
    {
        var store = new FaultyStore(NewClock());
        var service = Service(store.Time, o => o.EnableTokenIdDenylist = true, store);
        var token = (await service.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        store.Mode = StoreMode.Throw;

        var ex = await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await service.ValidateAsync(token, Ct));
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public async Task ValidateAsync_throws_SessionStoreException_when_the_not_before_read_fails()
    {
        var store = new FaultyStore(NewClock());
        var service = Service(store.Time, o => { o.EnableUserNotBefore = true; o.UserNotBeforeCacheDuration = TimeSpan.Zero; }, store);
        var token = (await service.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        Assert.True((await service.ValidateAsync(token, Ct)).Succeeded);
        store.Mode = StoreMode.Throw;

        await Assert.ThrowsAnyAsync<SessionStoreException>(async () => await service.ValidateAsync(token, Ct));
    }

    [Fact]
    public async Task ValidateAsync_throws_SessionStoreException_when_the_store_hangs_past_the_timeout()
    {
        var store = new FaultyStore(NewClock());
        var service = Service(store.Time, o => { o.EnableTokenIdDenylist = true; o.StoreTimeout = TimeSpan.FromMilliseconds(500); }, store);
        var token = (await service.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        store.Mode = StoreMode.Hang;

        var validation = service.ValidateAsync(token, Ct).AsTask();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        store.Time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(validation.IsCompleted);
        store.Time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<SessionStoreException>(() => validation.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Cancelling_a_validation_that_waits_on_the_store_is_a_cancellation_not_a_store_failure()
    {
        var store = new FaultyStore(NewClock());
        var service = Service(store.Time, o => o.EnableTokenIdDenylist = true, store);
        var token = (await service.IssueAsync(User(), cancellationToken: Ct)).AccessToken;
        store.Mode = StoreMode.Hang;
        using var cts = new CancellationTokenSource();

        var validation = service.ValidateAsync(token, cts.Token).AsTask();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => validation.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.IsNotAssignableFrom<SessionStoreException>(ex);
    }

    [Fact]
    public async Task Bad_input_never_throws_even_while_the_store_is_down()
    {
        var store = new FaultyStore(NewClock()) { Mode = StoreMode.Throw };
        var service = Service(store.Time, o => o.EnableTokenIdDenylist = true, store);

        Assert.Equal(TokenValidationError.Malformed, (await service.ValidateAsync("a.b.c", Ct)).Error);
        Assert.Equal(TokenValidationError.Malformed, (await service.ValidateAsync(null!, Ct)).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(61_000)]
    public void A_store_timeout_outside_0_to_1_minute_is_a_startup_error(int milliseconds)
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Service(configure: o => o.StoreTimeout = TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Contains("AuthKit:Jwt:StoreTimeout", ex.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- token endpoints

    [Theory]
    [InlineData(StoreMode.Throw)]
    [InlineData(StoreMode.Hang)]
    public async Task Refresh_answers_503_temporarily_unavailable_when_the_store_fails(StoreMode mode)
    {
        await using var app = await StoreHost.StartAsync(denylist: false);
        var refresh = await app.IssueRefreshAsync();
        app.Store.Mode = mode;

        var post = app.PostFormAsync("/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", refresh));
        if (mode == StoreMode.Hang)
        {
            await app.Store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            app.Time.Advance(Timeout);
        }

        using var response = await post.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await AssertUnavailableJson(response);
    }

    [Theory]
    [InlineData(StoreMode.Throw)]
    [InlineData(StoreMode.Hang)]
    public async Task Revoking_a_refresh_token_answers_503_when_the_store_fails(StoreMode mode)
    {
        await using var app = await StoreHost.StartAsync(denylist: false);
        var refresh = await app.IssueRefreshAsync();
        app.Store.Mode = mode;

        var post = app.PostFormAsync("/auth/token/revoke", ("token", refresh));
        if (mode == StoreMode.Hang)
        {
            await app.Store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            app.Time.Advance(Timeout);
        }

        using var response = await post.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await AssertUnavailableJson(response);
    }

    [Theory]
    [InlineData(true)]   // the validation's denylist lookup fails
    [InlineData(false)]  // the denylist write fails
    public async Task Revoking_an_access_token_answers_503_when_the_store_fails(bool denylist)
    {
        await using var app = await StoreHost.StartAsync(denylist);
        var token = await app.IssueAsync();
        app.Store.Mode = StoreMode.Throw;

        using var response = await app.PostFormAsync("/auth/token/revoke", ("token", token));

        await AssertUnavailableJson(response);
    }

    [Fact]
    public async Task A_refresh_token_still_works_after_the_store_recovers()
    {
        await using var app = await StoreHost.StartAsync(denylist: false);
        var refresh = await app.IssueRefreshAsync();
        app.Store.Mode = StoreMode.Throw;
        using (var down = await app.PostFormAsync("/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", refresh)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        app.Store.Mode = StoreMode.Normal;
        using var up = await app.PostFormAsync("/auth/token/refresh", ("grant_type", "refresh_token"), ("refresh_token", refresh));

        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    private static async Task AssertUnavailableJson(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", Header(response, "Retry-After"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        Assert.Equal("no-cache", Header(response, "Pragma"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"error":"temporarily_unavailable"}""", await response.Content.ReadAsStringAsync(Ct));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    // ---------------------------------------------------------------- fixtures

    public enum StoreMode
    {
        Normal,
        Throw,
        Hang,
    }

    /// <summary>A memory store that can be switched to throw on every call, or to never answer (ignoring its token, the worst case).</summary>
    private sealed class FaultyStore(FakeTimeProvider time) : ISessionStore
    {
        private readonly MemorySessionStore _inner = new(Microsoft.Extensions.Options.Options.Create(new MemorySessionStoreOptions()), time);
        private int _calls;

        public FakeTimeProvider Time { get; } = time;

        public StoreMode Mode { get; set; }

        public StoreCapabilities Capabilities => _inner.Capabilities;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken ct = default) => Call(() => _inner.GetAsync(key, ct));

        public ValueTask<bool> CreateAsync(SessionRecord record, CancellationToken ct = default) => Call(() => _inner.CreateAsync(record, ct));

        public ValueTask<bool> UpdateAsync(SessionRecord record, long expectedVersion, CancellationToken ct = default) => Call(() => _inner.UpdateAsync(record, expectedVersion, ct));

        public ValueTask<bool> RemoveAsync(SessionKey key, CancellationToken ct = default) => Call(() => _inner.RemoveAsync(key, ct));

        public ValueTask<int> RemoveByUserAsync(string userId, CancellationToken ct = default) => Call(() => _inner.RemoveByUserAsync(userId, ct));

        public async IAsyncEnumerable<SessionRecord> ListByUserAsync(string userId, [EnumeratorCancellation] CancellationToken ct = default)
        {
            await Call(() => new ValueTask<bool>(true));
            await foreach (var r in _inner.ListByUserAsync(userId, ct))
            {
                yield return r;
            }
        }

        private ValueTask<T> Call<T>(Func<ValueTask<T>> call)
        {
            switch (Mode)
            {
                case StoreMode.Throw:
                    Interlocked.Increment(ref _calls);
                    throw new InvalidOperationException("store down (test)");
                case StoreMode.Hang:
                    Interlocked.Increment(ref _calls);
                    Entered.TrySetResult();
                    return new ValueTask<T>(new TaskCompletionSource<T>().Task);
                default:
                    return call();
            }
        }
    }

    private sealed record LogEntry(int Id, LogLevel Level, string Message);

    private sealed class LogCollector : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue(new LogEntry(eventId.Id, logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }

    private sealed class StoreHost : IAsyncDisposable
    {
        private readonly IHost _host;

        private StoreHost(IHost host, FaultyStore store, LogCollector logs)
        {
            _host = host;
            Store = store;
            Logs = logs;
            Client = host.GetTestClient();
        }

        public FaultyStore Store { get; }

        public FakeTimeProvider Time => Store.Time;

        public LogCollector Logs { get; }

        public HttpClient Client { get; }

        public static async Task<StoreHost> StartAsync(bool denylist)
        {
            var time = NewClock();
            var store = new FaultyStore(time);
            var logs = new LogCollector();
            var host = new HostBuilder()
                .UseEnvironment("Production")
                .ConfigureLogging(l => l.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
                .ConfigureWebHost(web => web
                    .UseTestServer()
                    .ConfigureServices(s =>
                    {
                        s.AddRouting();
                        s.AddSingleton<TimeProvider>(time);
                        s.AddSingleton<ISessionStore>(store);
                        s.AddAuthKit(o => o.Keys.Add(new AuthKitKeyOptions { KeyId = "test", Secret = Convert.ToBase64String(new byte[32]) }))
                            .AddJwt(o =>
                            {
                                o.Issuer = Issuer;
                                o.Audience = Audience;
                                o.SigningKeys.Add(For(JwtAlgorithms.HS256));
                                o.EnableTokenIdDenylist = denylist;
                                o.StoreTimeout = Timeout;
                            });
                    })
                    .Configure(app =>
                    {
                        app.UseRouting();
                        app.UseAuthKit();
                        app.UseEndpoints(e =>
                        {
                            var bearer = new AuthorizeAttribute { AuthenticationSchemes = JwtAuthenticationDefaults.AuthenticationScheme };
                            e.MapGet("/bearer", (ClaimsPrincipal user) => "hello " + user.Identity!.Name).RequireAuthorization(bearer);
                            e.MapGet("/default", (ClaimsPrincipal user) => "hello " + user.Identity!.Name).RequireAuthorization();
                            e.MapGet("/anonymous", (HttpContext c) => c.User.Identity?.IsAuthenticated == true ? "user " + c.User.Identity.Name : "anonymous");
                            e.MapAuthKitTokenEndpoints();
                        });
                    }))
                .Build();
            await host.StartAsync(Ct);
            return new StoreHost(host, store, logs);
        }

        public async Task<string> IssueAsync() =>
            (await _host.Services.GetRequiredService<ITokenService>().IssueAsync(User("alice"), cancellationToken: Ct)).AccessToken;

        public async Task<string> IssueRefreshAsync() =>
            (await _host.Services.GetRequiredService<ITokenService>().IssueAsync(User("alice"), new TokenIssueOptions { IncludeRefreshToken = true }, Ct)).RefreshToken!;

        public Task<HttpResponseMessage> GetAsync(string path, string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            return Client.SendAsync(request, Ct);
        }

        public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
            Client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), Ct);

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }
    }
}
