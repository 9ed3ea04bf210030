using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AuthKit.Benchmarks.Interleaved;

/// <summary>One contender of a suite: runs its operation <c>n</c> times.</summary>
public sealed record Contender(string Name, Func<int, ValueTask> RunMany)
{
    public static Contender Sync(string name, Func<object?> op) => new(name, n =>
    {
        for (var i = 0; i < n; i++)
        {
            if (op() is null)
            {
                throw new InvalidOperationException($"{name} returned null: the contender refused its input, fix the set-up.");
            }
        }

        return default;
    });

    public static Contender Async(string name, Func<ValueTask<bool>> op) => new(name, async n =>
    {
        for (var i = 0; i < n; i++)
        {
            if (!await op().ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{name} failed: fix the set-up.");
            }
        }
    });
}

/// <summary>What one suite measured: per contender, the time and allocation per operation of every measured round.</summary>
public sealed record SuiteResult
{
    /// <summary>A line printed under the suite's table.</summary>
    public string? Note { get; init; }

    public required string Name { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<string> Contenders { get; init; }

    /// <summary>[contender][round] microseconds per operation.</summary>
    public required double[][] Micros { get; init; }

    /// <summary>[contender][round] bytes allocated per operation (every thread of the process).</summary>
    public required double[][] Bytes { get; init; }

    public required int[] OpsPerSlice { get; init; }

    public required int WarmupRounds { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public int IndexOf(string contender) => Contenders.ToList().IndexOf(contender);
}

/// <summary>
/// Runs the contenders of a suite in alternating slices in one process: every round runs each contender for one slice
/// (about <c>sliceMs</c>), in an order that rotates and reverses from round to round, so a contender never always runs
/// first or after the same peer, and a machine that slows down for a while slows every contender of those rounds. Warm-up
/// rounds (interleaved the same way, at least 25: the peers keep getting faster through the first rounds) are not recorded.
/// Every measured round is kept: medians and spreads are computed from them, ratios per round.
/// </summary>
public static class InterleavedRunner
{
    public static async Task<SuiteResult> RunAsync(string name, string title, IReadOnlyList<Contender> contenders, int warmupRounds, int rounds, double sliceMs)
    {
        var loadBefore = LoadAverage();
        var total = Stopwatch.StartNew();
        var n = contenders.Count;
        var ops = new int[n];
        for (var c = 0; c < n; c++)
        {
            // Calibrate: the number of operations that fills one slice (checked once; warm-up rounds follow).
            var count = 1;
            while (true)
            {
                var sw = Stopwatch.StartNew();
                await contenders[c].RunMany(count).ConfigureAwait(false);
                if (sw.Elapsed.TotalMilliseconds >= sliceMs / 4 || count >= 1 << 22)
                {
                    ops[c] = Math.Max(1, (int)(count * sliceMs / Math.Max(sw.Elapsed.TotalMilliseconds, 0.001)));
                    break;
                }

                count *= 2;
            }
        }

        var micros = new double[n][];
        var bytes = new double[n][];
        var warm = new List<double>[n];
        for (var c = 0; c < n; c++)
        {
            micros[c] = new double[rounds];
            bytes[c] = new double[rounds];
            warm[c] = [];
        }

        // Warm-up: at least warmupRounds rounds and at least WarmupTime, so tiered compilation (with its profiling tier) has
        // settled for every contender before anything is recorded.
        var order = new int[n];
        var warmup = Stopwatch.StartNew();
        var r = 0;
        for (; r < warmupRounds || warmup.Elapsed < WarmupTime; r++)
        {
            Order(order, r);
            foreach (var c in order)
            {
                var sw = Stopwatch.StartNew();
                await contenders[c].RunMany(ops[c]).ConfigureAwait(false);
                warm[c].Add(sw.Elapsed.TotalMicroseconds / ops[c]);
            }
        }

        var warmupCount = r;

        // Calibrate on warmed-up code: the fastest quarter of the last half of the warm-up rounds, so a slow stretch of the
        // machine during warm-up does not shrink the slices.
        for (var c = 0; c < n; c++)
        {
            var perOp = Percentile(warm[c].Skip(warm[c].Count / 2), 0.25);
            ops[c] = Math.Max(1, (int)(sliceMs * 1000 / Math.Max(perOp, 0.001)));
        }

        for (var round = 0; round < rounds; round++)
        {
            Order(order, round);
            foreach (var c in order)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var sw = Stopwatch.StartNew();
                await contenders[c].RunMany(ops[c]).ConfigureAwait(false);
                var elapsed = sw.Elapsed;
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                micros[c][round] = elapsed.TotalMicroseconds / ops[c];
                bytes[c][round] = (double)allocated / ops[c];
            }
        }

        return new SuiteResult
        {
            Name = name,
            Title = title,
            Contenders = contenders.Select(c => c.Name).ToArray(),
            Micros = micros,
            Bytes = bytes,
            OpsPerSlice = ops,
            WarmupRounds = warmupCount,
            LoadBefore = loadBefore,
            LoadAfter = LoadAverage(),
            Elapsed = total.Elapsed,
        };
    }

    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(3);

    /// <summary>Round <paramref name="round"/>'s order: rotated by the round number, reversed every other round.</summary>
    private static void Order(int[] order, int round)
    {
        var n = order.Length;
        for (var k = 0; k < n; k++)
        {
            var rotated = (k + round) % n;
            order[k] = round % 2 == 0 ? rotated : n - 1 - rotated;
        }
    }

    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var pos = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(pos);
        var hi = (int)Math.Ceiling(pos);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Per round, <paramref name="f"/> of the two contenders' figures of that round.</summary>
    public static double[] PerRound(double[] a, double[] b, Func<double, double, double> f)
    {
        var result = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = f(a[i], b[i]);
        }

        return result;
    }

    public static string F(double value, int digits = 2) => double.IsFinite(value) ? value.ToString("N" + digits, CultureInfo.InvariantCulture) : "n/a";

    public static string Spread(double[] values, int digits = 2) =>
        $"{F(Median(values), digits)} ({F(Percentile(values, 0.1), digits)}–{F(Percentile(values, 0.9), digits)})";

    public static string Header(SuiteResult r) =>
        $"{r.Contenders.Count} contenders × {r.Micros[0].Length} measured rounds (after {r.WarmupRounds} warm-up rounds), slices of {F(r.Micros.Select((m, i) => Median(m) * r.OpsPerSlice[i] / 1000).Average(), 0)} ms; " +
        $"load average {r.LoadBefore} before, {r.LoadAfter} after; {F(r.Elapsed.TotalSeconds, 0)} s.";

    /// <summary>The table of a micro-benchmark suite: time per operation, allocation, and the per-round ratios to the reference contenders.</summary>
    public static string MicroTable(SuiteResult r, params string[] references)
    {
        var sb = new StringBuilder();
        sb.Append("| Contender | µs per op, median (p10–p90) | min | allocated B/op |");
        foreach (var reference in references)
        {
            sb.Append(CultureInfo.InvariantCulture, $" ÷ {reference}, per round: median (p10–p90) |");
        }

        sb.AppendLine();
        sb.Append("|---|---:|---:|---:|");
        foreach (var _ in references)
        {
            sb.Append("---:|");
        }

        sb.AppendLine();
        for (var c = 0; c < r.Contenders.Count; c++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Contenders[c]} | {Spread(r.Micros[c])} | {F(r.Micros[c].Min())} | {F(Median(r.Bytes[c]), 0)} |");
            foreach (var reference in references)
            {
                var ri = r.IndexOf(reference);
                sb.Append(CultureInfo.InvariantCulture, $" {Spread(PerRound(r.Micros[c], r.Micros[ri], (a, b) => a / b))} |");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>The table of a request suite: time and allocation per request, and what each variant adds to the bare request of the same round.</summary>
    public static string RequestTable(SuiteResult r, string bare)
    {
        var b = r.IndexOf(bare);
        var sb = new StringBuilder();
        sb.AppendLine("| Variant | µs per request, median (p10–p90) | added µs over bare, per round: median (p10–p90) | allocated B/request | added B over bare |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        for (var c = 0; c < r.Contenders.Count; c++)
        {
            var added = c == b ? "—" : Spread(PerRound(r.Micros[c], r.Micros[b], (x, y) => x - y));
            var addedBytes = c == b ? "—" : F(Median(r.Bytes[c]) - Median(r.Bytes[b]), 0);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Contenders[c]} | {Spread(r.Micros[c])} | {added} | {F(Median(r.Bytes[c]), 0)} | {addedBytes} |");
        }

        return sb.ToString();
    }

    /// <summary>Added cost of <paramref name="variant"/> ÷ added cost of <paramref name="peer"/>, per round (both over the same round's bare request).</summary>
    public static (double[] Time, double Bytes) AddedRatio(SuiteResult r, string variant, string peer, string bare)
    {
        int v = r.IndexOf(variant), p = r.IndexOf(peer), b = r.IndexOf(bare);
        var time = new double[r.Micros[0].Length];
        for (var i = 0; i < time.Length; i++)
        {
            time[i] = (r.Micros[v][i] - r.Micros[b][i]) / (r.Micros[p][i] - r.Micros[b][i]);
        }

        var bytes = (Median(r.Bytes[v]) - Median(r.Bytes[b])) / (Median(r.Bytes[p]) - Median(r.Bytes[b]));
        return (time, bytes);
    }

    /// <summary>Every measured round of a suite, µs per operation (for the raw output, so a bimodal contender shows).</summary>
    public static string Rounds(SuiteResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {r.Name}: µs/op per round; columns: {string.Join(", ", r.Contenders)}");
        for (var i = 0; i < r.Micros[0].Length; i++)
        {
            sb.AppendLine(string.Join(' ', r.Micros.Select(m => F(m[i], 3))));
        }

        return sb.ToString();
    }
}
