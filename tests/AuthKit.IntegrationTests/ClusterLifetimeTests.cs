using System.Diagnostics;
using System.Net.Sockets;

namespace AuthKit.IntegrationTests;

/// <summary>The cluster launcher never leaves instances behind: not on Ctrl+C, not when it is killed outright.</summary>
public sealed class ClusterLifetimeTests
{
    [Fact]
    public async Task Ctrl_C_stops_the_balancer_and_every_instance()
    {
        await using var cluster = await ClusterProcess.StartAsync("memory", instances: 2);
        Assert.Equal(2, cluster.Instances.Count);
        foreach (var url in cluster.Instances.Values)
        {
            Assert.True(await AnswersAsync(url));
        }

        Assert.True(await cluster.Process.InterruptAsync(TimeSpan.FromSeconds(60)), "The launcher exits on Ctrl+C.\n" + cluster.Output);
        foreach (var url in cluster.Instances.Values.Append(cluster.Balancer))
        {
            Assert.True(await StopsAnsweringAsync(url, TimeSpan.FromSeconds(30)), $"{url} still answers after Ctrl+C.");
        }
    }

    [Fact]
    public async Task Instances_stop_by_themselves_when_the_launcher_is_killed()
    {
        await using var cluster = await ClusterProcess.StartAsync("memory", instances: 2);
        foreach (var url in cluster.Instances.Values)
        {
            Assert.True(await AnswersAsync(url));
        }

        // SIGKILL: the launcher runs no code at all; each instance notices its parent is gone.
        using (var launcher = Process.GetProcessById(cluster.Process.Id))
        {
            launcher.Kill(entireProcessTree: false);
        }

        foreach (var url in cluster.Instances.Values)
        {
            Assert.True(await StopsAnsweringAsync(url, TimeSpan.FromSeconds(60)), $"{url} still answers after its launcher was killed.");
        }
    }

    private static async Task<bool> AnswersAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            using var response = await http.GetAsync(new Uri(url, "/healthz"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<bool> StopsAnsweringAsync(Uri url, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(url.Host, url.Port, cts.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
