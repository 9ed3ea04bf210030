namespace AuthKit.Soak;

/// <summary>What one soak run does, and the bounds it is checked against.</summary>
public sealed class SoakOptions
{
    /// <summary>How long the load runs.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Simulated browsers/API clients, each running the user journey in a loop.</summary>
    public int Clients { get; set; } = 8;

    /// <summary>Pause between two requests of one client (a person reads the page).</summary>
    public TimeSpan ThinkTime { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>When instance B is killed (SIGKILL); the cluster starts it again. Null: half the duration. Negative: never.</summary>
    public TimeSpan? KillAt { get; set; }

    /// <summary>The Redis every instance shares (<c>host:port</c>).</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Path of <c>AuthKit.Samples.Cluster.dll</c>; null: the one built beside this program.</summary>
    public string? ClusterDll { get; set; }

    /// <summary>How often each instance's RSS and GC heap are sampled.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The sample surviving instances' end RSS is compared with (after start-up and JIT warm-up).</summary>
    public TimeSpan BaselineAt { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>End RSS of a surviving instance may be at most this multiple of its RSS at <see cref="BaselineAt"/>.</summary>
    public double MaxRssGrowth { get; set; } = 1.5;

    /// <summary>No instance's RSS may exceed this, at any sample.</summary>
    public long MaxRssBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long after the killed instance is back a 503 is still part of the kill window.</summary>
    public TimeSpan KillWindowTail { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Progress lines (one per sample interval), or null for none.</summary>
    public Action<string>? Log { get; set; }

    internal TimeSpan EffectiveKillAt => KillAt ?? Duration / 2;
}
