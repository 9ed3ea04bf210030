using AuthKit.IntegrationTests;

namespace AuthKit.BrowserTests;

/// <summary>The cluster demo on the memory store: the instance that does not know the session says so on the page.</summary>
public sealed class MemoryClusterBrowserTests(MemoryClusterBrowserFixture fixture) : IClassFixture<MemoryClusterBrowserFixture>
{
    [Fact]
    public async Task With_the_memory_store_the_sign_in_page_says_which_instance_did_not_know_the_session_and_why()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await SampleNavigation.OpenAsync(page, "/login", "#login-form");
        await page.FillAsync("#username", "alice");
        await page.FillAsync("#password", "alice-password");

        var signIn = await SampleNavigation.SubmitAsync(page, "#sign-in-button", "/login", TimeSpan.FromSeconds(120));
        Assert.Equal(302, signIn.Status);
        var home = await signIn.HeaderValueAsync("x-authkit-instance");
        var other = Assert.Single(fixture.Cluster.Instances.Keys, i => i != home);
        await SampleNavigation.WaitForAsync(page, "#account-user, #login-form");

        // Round robin over two instances: the session lives in one's memory; sooner or later /account lands on the other.
        for (var i = 0; i < 10 && !page.Url.Contains("/login", StringComparison.Ordinal); i++)
        {
            await SampleNavigation.OpenAsync(page, "/account", "#account-user, #login-form");
        }

        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        var notice = await page.InnerTextAsync("#unknown-session");
        Assert.Contains($"instance {other} does not know that session", notice, StringComparison.Ordinal);
        Assert.Contains("memory", notice, StringComparison.Ordinal);
        Assert.Contains("--store file", notice, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "cluster-memory-unknown-session");
    }
}

/// <summary>The cluster sample on the memory store, with two instances (enough to show the problem).</summary>
public sealed class MemoryClusterBrowserFixture : SampleProcessBrowserFixture
{
    private ClusterProcess? _cluster;

    public ClusterProcess Cluster => _cluster ?? throw new InvalidOperationException("The cluster did not start.");

    protected override Uri BaseUrl => Cluster.Balancer;

    public override string SampleOutput => _cluster?.Output ?? "(not started)";

    protected override async Task StartSampleAsync() => _cluster = await ClusterProcess.StartAsync("memory", instances: 2);

    protected override async ValueTask StopSampleAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
