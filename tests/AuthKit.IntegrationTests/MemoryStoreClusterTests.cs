using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthKit.IntegrationTests;

/// <summary>
/// The problem: with the memory store each instance knows only the sessions it created, so a user who signed in on one
/// instance is sent to the login page as soon as the balancer hands a request to another.
/// </summary>
public sealed class MemoryStoreClusterTests(MemoryClusterFixture fixture) : IClassFixture<MemoryClusterFixture>
{
    private ClusterProcess Cluster => fixture.Cluster;

    [Fact]
    public async Task A_session_made_on_one_instance_is_unknown_to_the_others()
    {
        using var client = new SampleClient(Cluster.Balancer);
        using var signIn = await client.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var home = SampleClient.Instance(signIn);
        Assert.NotNull(home);
        var cookie = client.CookieHeader;

        // The same cookie each time (a browser would drop it after the first refusal, which hides the instance that still knows it).
        using var bare = ClusterRequests.BareClient();
        var responses = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => ClusterRequests.GetWithCookieAsync(bare, Cluster.Balancer, "/account", cookie));

        foreach (var r in responses)
        {
            if (r.Instance == home)
            {
                Assert.True(r.Status == HttpStatusCode.OK, $"Instance {r.Instance} made the session and knows it; it answered {(int)r.Status}.");
            }
            else
            {
                Assert.True(
                    r.Status == HttpStatusCode.Redirect && r.Location!.Contains("/login", StringComparison.Ordinal),
                    $"Instance {r.Instance} cannot know a session kept in {home}'s memory; it answered {(int)r.Status}.");
            }
        }
    }

    [Fact]
    public async Task A_browser_is_asked_to_sign_in_again_when_the_next_request_lands_elsewhere()
    {
        using var client = new SampleClient(Cluster.Balancer);
        using var signIn = await client.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // Round robin: the redirect's target is fetched by the next instance, which has never heard of this session.
        using var next = await client.GetAsync(signIn.Headers.Location!.OriginalString);
        Assert.NotEqual(SampleClient.Instance(signIn), SampleClient.Instance(next));
        Assert.True(SampleClient.IsLoginRedirect(next), $"Expected a redirect to the login page, got {(int)next.StatusCode}.");
    }

    [Fact]
    public async Task Access_tokens_need_no_shared_state_and_work_on_every_instance()
    {
        using var http = ClusterRequests.BareClient();
        http.BaseAddress = Cluster.Balancer;
        using var issue = await http.PostAsJsonAsync("/api/token", new { username = "alice", password = "alice-password" });
        Assert.Equal(HttpStatusCode.OK, issue.StatusCode);
        using var tokens = JsonDocument.Parse(await issue.Content.ReadAsStringAsync());
        var access = tokens.RootElement.GetProperty("access_token").GetString()!;

        var orders = await ClusterRequests.OnEveryInstanceAsync(Cluster, () => SharedStoreClusterTests.SendWithBearer(http, "/api/orders", access));
        Assert.All(orders, r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }
}
