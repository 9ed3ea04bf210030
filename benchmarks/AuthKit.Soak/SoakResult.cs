using System.Globalization;
using System.Text;

namespace AuthKit.Soak;

/// <summary>What a soak run saw, the checks it failed (none: it passed), and a Markdown report.</summary>
public sealed class SoakResult
{
    private SoakResult(SoakOptions options, List<SoakRequest> requests, List<MemorySample> samples, TimeSpan? killedAt, TimeSpan? restartedAt, int? killedPid, int signedOutElsewhere, TimeSpan elapsed)
    {
        Options = options;
        Requests = requests;
        Samples = samples;
        KilledAt = killedAt;
        RestartedAt = restartedAt;
        KilledPid = killedPid;
        SignedOutElsewhere = signedOutElsewhere;
        Elapsed = elapsed;
    }

    public SoakOptions Options { get; }

    public IReadOnlyList<SoakRequest> Requests { get; }

    public IReadOnlyList<MemorySample> Samples { get; }

    public TimeSpan? KilledAt { get; }

    public TimeSpan? RestartedAt { get; }

    public int? KilledPid { get; }

    /// <summary>Journeys that found their session ended by "sign out everywhere" on another device of the same user.</summary>
    public int SignedOutElsewhere { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>From the kill until <see cref="SoakOptions.KillWindowTail"/> after the instance was back (or a minute, if it never came back).</summary>
    public (TimeSpan From, TimeSpan To)? KillWindow =>
        KilledAt is { } killed ? (killed, (RestartedAt ?? killed + TimeSpan.FromMinutes(1)) + Options.KillWindowTail) : null;

    /// <summary>Every check the run failed, in words; empty when it passed.</summary>
    public List<string> Failures { get; } = [];

    internal static SoakResult Check(SoakOptions options, List<SoakRequest> requests, List<MemorySample> samples, TimeSpan? killedAt, TimeSpan? restartedAt, int? killedPid, int signedOutElsewhere, TimeSpan elapsed)
    {
        var result = new SoakResult(options, requests, samples, killedAt, restartedAt, killedPid, signedOutElsewhere, elapsed);
        var failures = result.Failures;
        if (requests.Count == 0)
        {
            failures.Add("No request was made.");
        }

        foreach (var group in requests.Where(r => r.Status >= 500 && r.Status != 503).GroupBy(r => r.Status))
        {
            failures.Add($"{group.Count()} requests answered {group.Key} ({Kinds(group)}).");
        }

        var noAnswer = requests.Where(r => r.Status == 0).ToList();
        if (noAnswer.Count > 0)
        {
            failures.Add($"{noAnswer.Count} requests got no answer (reset or timed out: {Kinds(noAnswer)}).");
        }

        var outside = requests.Where(r => r.Status == 503 && !result.InKillWindow(r)).ToList();
        if (outside.Count > 0)
        {
            failures.Add($"{outside.Count} requests answered 503 outside the kill window ({Kinds(outside)}; first at {outside[0].SentAt.TotalSeconds:0.0} s).");
        }

        if (options.EffectiveKillAt >= TimeSpan.Zero && options.EffectiveKillAt < options.Duration)
        {
            if (killedAt is null)
            {
                failures.Add($"Instance {SoakRunner.Victim} was not killed.");
            }
            else if (restartedAt is null)
            {
                failures.Add($"Instance {SoakRunner.Victim} was not started again after the kill.");
            }
        }

        foreach (var sample in samples.Where(s => s.RssBytes > options.MaxRssBytes))
        {
            failures.Add($"Instance {sample.Instance} had an RSS of {Mb(sample.RssBytes)} MB at {sample.At.TotalSeconds:0} s (cap {Mb(options.MaxRssBytes)} MB).");
        }

        foreach (var (instance, baseline, end) in result.Survivors())
        {
            if (end.RssBytes > options.MaxRssGrowth * baseline.RssBytes)
            {
                failures.Add($"Instance {instance} grew from {Mb(baseline.RssBytes)} MB RSS at {baseline.At.TotalSeconds:0} s to {Mb(end.RssBytes)} MB at the end (bound {options.MaxRssGrowth:0.##}×).");
            }
        }

        if (!result.Survivors().Any())
        {
            failures.Add("No surviving instance had memory samples to compare.");
        }

        return result;
    }

    /// <summary>Instances that ran the whole time (never killed): their sample at <see cref="SoakOptions.BaselineAt"/> and their last.</summary>
    public IEnumerable<(string Instance, MemorySample Baseline, MemorySample End)> Survivors()
    {
        foreach (var group in Samples.GroupBy(s => s.Instance).OrderBy(g => g.Key))
        {
            var ordered = group.OrderBy(s => s.At).ToList();
            if (ordered.Select(s => s.Pid).Distinct().Count() != 1 || ordered[0].Pid == KilledPid)
            {
                continue;
            }

            var baseline = ordered.FirstOrDefault(s => s.At >= Options.BaselineAt);
            if (baseline is not null && ordered[^1].At > baseline.At)
            {
                yield return (group.Key, baseline, ordered[^1]);
            }
        }
    }

    /// <summary>Whether <paramref name="request"/> was in flight at some moment of the kill window (sent before the kill and answered after it counts).</summary>
    public bool InKillWindow(SoakRequest request) =>
        KillWindow is { } window && request.SentAt <= window.To && request.SentAt + request.Latency >= window.From;

    /// <summary>The run as Markdown: totals, latency by kind, statuses, the kill, memory per instance.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        var ok = Requests.Count(r => r.Status is >= 200 and < 400);
        text.AppendLine(CultureInfo.InvariantCulture, $"Soak: {Options.Clients} clients for {Elapsed.TotalSeconds:0} s, {Requests.Count} requests ({Requests.Count / Math.Max(1, Elapsed.TotalSeconds):0} per second), {ok} answered 2xx/3xx; latency p50 {P(Requests, 0.50)} ms, p99 {P(Requests, 0.99)} ms.");
        text.AppendLine();
        text.AppendLine("| Request | Count | p50 ms | p99 ms | Statuses |");
        text.AppendLine("|---|---:|---:|---:|---|");
        foreach (var kind in Requests.GroupBy(r => r.Kind).OrderByDescending(g => g.Count()))
        {
            var list = kind.ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"| {kind.Key} | {list.Count} | {P(list, 0.50)} | {P(list, 0.99)} | {Statuses(list)} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Statuses: {Statuses(Requests)}. Journeys that found their session ended by another device's \"sign out everywhere\": {SignedOutElsewhere}.");
        if (KillWindow is { } window)
        {
            var inWindow = Requests.Where(InKillWindow).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Instance {SoakRunner.Victim} killed (SIGKILL) at {KilledAt!.Value.TotalSeconds:0.0} s, back at {(RestartedAt is { } back ? $"{back.TotalSeconds:0.0} s" : "never")}; " +
                $"kill window {window.From.TotalSeconds:0.0}–{window.To.TotalSeconds:0.0} s: {inWindow.Count} requests, statuses {Statuses(inWindow)}.");
        }

        text.AppendLine();
        text.AppendLine("| Instance | pid | RSS first → end (MB) | GC heap first → end (MB) | RSS at baseline (MB) | full GCs |");
        text.AppendLine("|---|---:|---|---|---:|---:|");
        foreach (var group in Samples.GroupBy(s => (s.Instance, s.Pid)).OrderBy(g => g.Key.Instance).ThenBy(g => g.Min(s => s.At)))
        {
            var ordered = group.OrderBy(s => s.At).ToList();
            var baseline = ordered.FirstOrDefault(s => s.At >= ordered[0].At + Options.BaselineAt);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key.Instance} ({ordered[0].At.TotalSeconds:0}–{ordered[^1].At.TotalSeconds:0} s) | {group.Key.Pid} | {Mb(ordered[0].RssBytes)} → {Mb(ordered[^1].RssBytes)} | {Mb(ordered[0].GcHeapBytes)} → {Mb(ordered[^1].GcHeapBytes)} | {(baseline is null ? "—" : Mb(baseline.RssBytes))} | {ordered[^1].Gen2Collections} |");
        }

        text.AppendLine();
        text.AppendLine("RSS / GC heap (MB) every sample:");
        text.AppendLine();
        var names = Samples.Select(s => s.Instance).Distinct().Order().ToList();
        text.AppendLine("| s | " + string.Join(" | ", names) + " |");
        text.AppendLine("|---:|" + string.Concat(names.Select(_ => "---|")));
        foreach (var at in Samples.GroupBy(s => s.At).OrderBy(g => g.Key))
        {
            var cells = names.Select(n => at.FirstOrDefault(s => s.Instance == n) is { } s ? $"{Mb(s.RssBytes)} / {Mb(s.GcHeapBytes)}" : "—");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {at.Key.TotalSeconds:0} | {string.Join(" | ", cells)} |");
        }

        text.AppendLine();
        text.AppendLine(Failures.Count == 0 ? "Checks: passed." : "Checks FAILED:\n- " + string.Join("\n- ", Failures));
        return text.ToString();
    }

    private static string P(IReadOnlyCollection<SoakRequest> requests, double quantile)
    {
        if (requests.Count == 0)
        {
            return "—";
        }

        var sorted = requests.Select(r => r.Latency.TotalMilliseconds).Order().ToList();
        var index = Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1);
        return sorted[index].ToString(sorted[index] < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
    }

    private static string Statuses(IEnumerable<SoakRequest> requests) =>
        string.Join(", ", requests.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}×{g.Count()}"));

    private static string Kinds(IEnumerable<SoakRequest> requests) =>
        string.Join(", ", requests.GroupBy(r => r.Kind).Select(g => $"{g.Key}×{g.Count()}"));

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);
}
