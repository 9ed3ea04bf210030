using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>A browser signed in through the cluster's balancer stays signed in whichever instance serves it (file store).</summary>
public sealed class ClusterBrowserTests(ClusterBrowserFixture fixture) : IClassFixture<ClusterBrowserFixture>
{
    [Fact]
    public async Task A_sign_in_through_the_balancer_is_valid_on_every_instance()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Cluster.Balancer.ToString() });
        var page = await context.NewPageAsync();
        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");
        await BrowserSteps.SignInAsync(page, fixture, "alice");

        var expected = fixture.Cluster.Instances.Keys.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < expected.Count * 4 && !seen.SetEquals(expected); i++)
        {
            var response = await BrowserSteps.OpenAsync(page, fixture, "/account", "#account-user");
            string? instance = null;
            await BrowserSteps.StepAsync(page, fixture, $"reading /account (visit {i + 1})", async () =>
            {
                Assert.Equal("/account", BrowserSteps.PathOf(page.Url));
                Assert.Equal("alice", await page.TextContentAsync("#account-user"));
                instance = await page.TextContentAsync("#instance b");
                Assert.Equal(instance, await response.HeaderValueAsync("x-authkit-instance"));
            });
            if (seen.Add(instance!))
            {
                await Screenshots.SaveAsync(page, $"cluster-account-instance-{instance}");
            }
        }

        Assert.True(seen.SetEquals(expected), $"Reached instances {string.Join(", ", seen)} of {string.Join(", ", expected)}.");
    }
}
