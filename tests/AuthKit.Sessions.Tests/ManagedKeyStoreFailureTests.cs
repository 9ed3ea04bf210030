using System.Net;
using Microsoft.Extensions.DependencyInjection;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>With managed keys, a store that is down when the app starts means 503 for what needs a key, until the ring is read.</summary>
public sealed class ManagedKeyStoreFailureTests
{
    [Fact]
    public async Task Until_the_managed_ring_is_read_sign_ins_answer_503_and_then_work_without_a_restart()
    {
        TestStore? store = null;
        await using var app = await TestApp.StartAsync(build: b =>
        {
            store = (TestStore)b.Services.Single(d => d.ServiceType == typeof(ISessionStore)).ImplementationInstance!;
            store.Mode = TestStore.FailureMode.Throw;
            b.Services.Configure<ManagedKeyRingOptions>(o => o.Enabled = true);
        });
        using var client = app.Client();

        using (var login = await client.PostAsync("/login?user=alice", null, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.Equal("1", login.Headers.GetValues("Retry-After").Single());
        }

        using (var anonymous = await GetAsync(client, "/public", cookie: null))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        }

        Assert.True(app.Logs.Count(1008) >= 1);

        // The store answers again: the ring service reads the ring on its next retry (a second later on the app's clock).
        store!.Mode = TestStore.FailureMode.None;
        HttpStatusCode status = default;
        for (var i = 0; i < 100 && status != HttpStatusCode.OK; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, TestContext.Current.CancellationToken);
            using var retry = await client.PostAsync("/login?user=alice", null, TestContext.Current.CancellationToken);
            status = retry.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
