using AuthKit.Samples.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AuthKit.IntegrationTests;

/// <summary>
/// The cluster launcher's wait for an instance's <c>/healthz</c> (compiled in from the sample): on a starved machine the
/// first answer can take longer than one attempt allows, which must not end the cluster's start.
/// </summary>
public sealed class ClusterHealthProbeTests
{
    [Fact]
    public async Task A_health_check_slower_than_one_attempt_is_asked_again_until_the_start_timeout()
    {
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/healthz", async (HttpContext context) =>
        {
            // The first answer is slow (a cold instance on a loaded machine); later ones are immediate.
            if (Interlocked.Increment(ref requests) == 1)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return "ok";
        });
        await app.StartAsync();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await HealthProbe.WaitUntilHealthyAsync(http, new Uri(new Uri(app.Urls.First()), "/healthz"), TimeSpan.FromMilliseconds(300), startTimeout.Token);

        Assert.True(Volatile.Read(ref requests) >= 2, $"{requests} request(s)");
        Assert.False(startTimeout.IsCancellationRequested);
    }

    [Fact]
    public async Task The_start_timeout_still_ends_the_wait_for_an_instance_that_never_becomes_healthy()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            HealthProbe.WaitUntilHealthyAsync(http, new Uri(new Uri(app.Urls.First()), "/healthz"), TimeSpan.FromMilliseconds(300), startTimeout.Token));
    }
}
