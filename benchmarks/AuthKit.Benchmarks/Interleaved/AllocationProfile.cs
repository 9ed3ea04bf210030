using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace AuthKit.Benchmarks.Interleaved;

/// <summary>
/// <c>interleaved-profile SUITE CONTENDER [ops] [--cpu]</c>: runs one contender and prints the types it allocates, from the runtime's
/// sampled <c>GCAllocationTick</c> events (one sample per ~100 KB). A tool for finding what to cut, not a figure. With <c>--cpu</c>
/// it only runs the contender (no listener), for a CPU profiler: <c>dotnet-trace collect -- dotnet AuthKit.Benchmarks.dll interleaved-profile …</c>.
/// </summary>
internal sealed class AllocationProfile : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private volatile bool _on;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }

        var name = e.PayloadNames!.IndexOf("TypeName") is var i and >= 0 ? e.Payload[i] as string ?? "?" : "?";
        var amount = e.PayloadNames!.IndexOf("AllocationAmount64") is var j and >= 0 ? Convert.ToInt64(e.Payload[j], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(name, amount, (_, v) => v + amount);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var suite = args[1];
        var name = args[2];
        var ops = args.Length > 3 && args[3] != "--cpu" ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var cpuOnly = args.Contains("--cpu");
        List<Contender> contenders;
        IAsyncDisposable? hosts = null;
        IDisposable? services = null;
        switch (suite)
        {
            case "sessions": (contenders, hosts) = await RequestSuites.SessionsAsync().ConfigureAwait(false); break;
            case "bearer": (contenders, hosts) = await RequestSuites.BearerAsync().ConfigureAwait(false); break;
            default: (contenders, services) = JwtSuites.Validate(suite.ToUpperInvariant()); break;
        }

        var contender = contenders.Single(c => c.Name == name);
        await contender.RunMany(20_000).ConfigureAwait(false);
        if (cpuOnly)
        {
            await contender.RunMany(ops).ConfigureAwait(false);
            services?.Dispose();
            if (hosts is not null)
            {
                await hosts.DisposeAsync().ConfigureAwait(false);
            }

            return 0;
        }

        using var listener = new AllocationProfile();
        listener._on = true;
        var before = GC.GetTotalAllocatedBytes(true);
        await contender.RunMany(ops).ConfigureAwait(false);
        var total = GC.GetTotalAllocatedBytes(true) - before;
        listener._on = false;
        Console.WriteLine($"{name}: {total / (double)ops:N0} B/op");
        var sampled = listener._bytes.Values.Sum();
        foreach (var (type, bytes) in listener._bytes.OrderByDescending(kv => kv.Value).Take(40))
        {
            Console.WriteLine($"{bytes * (double)total / Math.Max(sampled, 1) / ops,8:N0} B/op  {type}");
        }

        services?.Dispose();
        if (hosts is not null)
        {
            await hosts.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
