using System.Net;
using Microsoft.Extensions.Options;

namespace AuthKit.Samples;

/// <summary>
/// <c>GET /diagnostics/memory</c>, on when <c>AuthKitSample:Diagnostics</c> is true (the cluster's <c>--diagnostics true</c>):
/// the instance's resident set size and GC heap, for the soak run (benchmarks/AuthKit.Soak) to sample. Answered only to a
/// client on this machine talking to the instance directly: anything else (another address, a request that came through
/// a proxy, which adds <c>X-Forwarded-For</c>) gets 404.
/// </summary>
internal static class DiagnosticsEndpoints
{
    public static void MapDiagnostics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/diagnostics/memory", (HttpContext context, IOptions<SampleOptions> sample) =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote) || context.Request.Headers.ContainsKey("X-Forwarded-For"))
            {
                return Results.NotFound();
            }

            var gc = GC.GetGCMemoryInfo();
            var report = new MemoryReport(
                sample.Value.InstanceName,
                Environment.ProcessId,
                Environment.WorkingSet,
                GC.GetTotalMemory(forceFullCollection: false),
                gc.HeapSizeBytes,
                gc.TotalCommittedBytes,
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2));
            return Results.Json(report, SampleJsonContext.Default.MemoryReport);
        }).DisableAntiforgery();
    }
}
