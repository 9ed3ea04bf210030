using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace AuthKit.Soak;

/// <summary>
/// One soak run: the cluster sample (a balancer over three instances sharing one Redis), driven by <see cref="SoakOptions.Clients"/>
/// virtual users for <see cref="SoakOptions.Duration"/>; instance B killed (SIGKILL) at <see cref="SoakOptions.KillAt"/> and
/// started again by the cluster; each instance's RSS and GC heap sampled every <see cref="SoakOptions.SampleInterval"/>.
/// </summary>
public static class SoakRunner
{
    /// <summary>The instance killed half-way.</summary>
    public const string Victim = "B";

    /// <summary>Runs the soak and checks it (<see cref="SoakResult.Failures"/>).</summary>
    public static async Task<SoakResult> RunAsync(SoakOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clusterDll = options.ClusterDll ?? BuiltClusterDll();
        var log = options.Log ?? (_ => { });
        log($"Starting the cluster sample ({clusterDll}) on Redis {options.Redis}…");
        var accounts = Accounts(options.Clients);
        await using var cluster = await ClusterLauncher.StartAsync(clusterDll, options.Redis, $"soak:{Guid.NewGuid():N}:", UserSettings(accounts), TimeSpan.FromSeconds(150)).ConfigureAwait(false);
        log($"Balancer {cluster.Balancer}; instances {string.Join(", ", cluster.Instances.OrderBy(i => i.Key).Select(i => $"{i.Key} {i.Value.Url} (pid {i.Value.Pid})"))}.");

        var origin = Stopwatch.GetTimestamp();
        var recorder = new SoakRecorder(origin);
        var samples = new List<MemorySample>();
        using var diagnostics = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var users = Enumerable.Range(0, options.Clients).Select(i => new VirtualUser(accounts[i / 2].User, accounts[i / 2].Password, cluster.Balancer, recorder, options.ThinkTime)).ToList();
        TimeSpan? killedAt = null;
        TimeSpan? restartedAt = null;
        int? killedPid = null;
        try
        {
            await SampleAsync(cluster, diagnostics, samples, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            var load = users.Select(u => Task.Run(() => u.RunAsync(stop.Token), CancellationToken.None)).ToList();
            var nextSample = options.SampleInterval;
            var killAt = options.EffectiveKillAt;
            while (Elapsed(origin) < options.Duration)
            {
                var now = Elapsed(origin);
                if (killedAt is null && killAt >= TimeSpan.Zero && now >= killAt && cluster.Instances.TryGetValue(Victim, out var victim))
                {
                    using (var process = Process.GetProcessById(victim.Pid))
                    {
                        // SIGKILL on Unix: no shutdown, no flush; requests it held are lost with it.
                        process.Kill();
                    }

                    killedAt = Elapsed(origin);
                    killedPid = victim.Pid;
                    log($"{killedAt.Value.TotalSeconds,6:0.0} s  killed instance {Victim} (pid {victim.Pid}, SIGKILL)");
                }

                if (killedAt is not null && restartedAt is null && cluster.Restarts.FirstOrDefault(r => r.Name == Victim) is { Name: not null } restart)
                {
                    restartedAt = Stopwatch.GetElapsedTime(origin, restart.Timestamp);
                    log($"{restartedAt.Value.TotalSeconds,6:0.0} s  instance {Victim} is back: {cluster.Instances[Victim].Url} (pid {cluster.Instances[Victim].Pid})");
                }

                if (now >= nextSample)
                {
                    await SampleAsync(cluster, diagnostics, samples, now, cancellationToken).ConfigureAwait(false);
                    var latest = samples.Where(s => s.At == samples[^1].At).OrderBy(s => s.Instance);
                    log($"{now.TotalSeconds,6:0.0} s  {recorder.Count,8} requests  " + string.Join("  ", latest.Select(s => $"{s.Instance}: RSS {Mb(s.RssBytes)} MB, GC heap {Mb(s.GcHeapBytes)} MB")));
                    nextSample += options.SampleInterval;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            await SampleAsync(cluster, diagnostics, samples, Elapsed(origin), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var user in users)
            {
                user.Dispose();
            }
        }

        return SoakResult.Check(options, recorder.Snapshot(), samples, killedAt, restartedAt, killedPid, recorder.SignedOutElsewhereCount, Elapsed(origin));
    }

    /// <summary>
    /// One account per two clients (two devices of one person, so "sign out everywhere" on one ends the other's session too).
    /// Their hashes use PBKDF2's minimum of 10,000 iterations: at the default 600,000 a sign-in costs about 330 ms of CPU and
    /// the run would measure PBKDF2 on a 2-core machine, not the cluster. The credential throttle is as configured by default.
    /// </summary>
    private static List<(string User, string Password)> Accounts(int clients) =>
        [.. Enumerable.Range(0, (clients + 1) / 2).Select(k => ($"soak{k}", $"soak{k}-{Guid.NewGuid():N}"))];

    /// <summary>The accounts as the sample's configuration (<c>AuthKitSample:Users</c>), in environment variables.</summary>
    private static Dictionary<string, string> UserSettings(List<(string User, string Password)> accounts)
    {
        var hasher = new AuthKit.Pbkdf2PasswordHasher(new AuthKit.Pbkdf2PasswordHasherOptions { Iterations = 10_000 });
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, password) in accounts)
        {
            settings[$"AuthKitSample__Users__{user}__DisplayName"] = "Soak " + user;
            settings[$"AuthKitSample__Users__{user}__PasswordHash"] = hasher.HashPassword(password);
            settings[$"AuthKitSample__Users__{user}__Roles__0"] = "customer";
        }

        return settings;
    }

    private static TimeSpan Elapsed(long origin) => Stopwatch.GetElapsedTime(origin);

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);

    /// <summary>Asks every live instance for <c>/diagnostics/memory</c> (directly, on loopback; never through the balancer).</summary>
    private static async Task SampleAsync(ClusterLauncher cluster, HttpClient http, List<MemorySample> samples, TimeSpan at, CancellationToken cancellationToken)
    {
        foreach (var (name, (url, pid)) in cluster.Instances.OrderBy(i => i.Key))
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url, "/diagnostics/memory"), cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                var root = json.RootElement;
                samples.Add(new MemorySample(at, name, root.GetProperty("pid").GetInt32(), root.GetProperty("rss_bytes").GetInt64(),
                    root.GetProperty("gc_heap_size_bytes").GetInt64(), root.GetProperty("gc_total_memory_bytes").GetInt64(), root.GetProperty("gen2_collections").GetInt32()));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The killed instance, until it is back: no sample.
            }
        }
    }

    private static string BuiltClusterDll() =>
        typeof(SoakRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AuthKit.Samples.Cluster.Path")?.Value
        ?? throw new InvalidOperationException("The cluster sample's path was not recorded at build time; pass --cluster-dll.");
}

/// <summary>One instance's memory at one moment of the run (bytes; full GCs since its start).</summary>
public sealed record MemorySample(TimeSpan At, string Instance, int Pid, long RssBytes, long GcHeapBytes, long GcTotalMemoryBytes, int Gen2Collections);
