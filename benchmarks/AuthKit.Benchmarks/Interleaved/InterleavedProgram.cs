using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Text;
using static AuthKit.Benchmarks.Interleaved.InterleavedRunner;

namespace AuthKit.Benchmarks.Interleaved;

/// <summary>
/// <c>interleaved [--rounds N] [--warmup N] [--slice-ms N] [--suites a,b] [--out DIR]</c>: runs the suites, prints every table, and
/// writes <c>DIR/figures.md</c> (the generated part of docs/benchmarks.md) and <c>DIR/rounds.txt</c> (every round of every contender).
/// </summary>
internal static class InterleavedProgram
{
    private static readonly string[] s_allSuites = ["hs256", "create", "rs256", "es256", "bearer", "sessions", "basic", "stores"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = 300;
        var warmup = 25;
        var sliceMs = 5.0;
        var outDir = "BenchmarkDotNet.Artifacts/interleaved";
        var suites = s_allSuites;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--slice-ms": sliceMs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--suites": suites = args[++i].Split(','); break;
                case "--out": outDir = args[++i]; break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.");
            }
        }

        Directory.CreateDirectory(outDir);
        var results = new Dictionary<string, SuiteResult>();
        foreach (var suite in suites)
        {
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {suite} (load {LoadAverage()})");
            results[suite] = await RunSuiteAsync(suite, warmup, rounds, sliceMs).ConfigureAwait(false);
        }

        var md = Render(results, rounds, warmup, sliceMs);
        await File.WriteAllTextAsync(Path.Combine(outDir, "figures.md"), md).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "rounds.txt"), string.Concat(results.Values.Select(Rounds))).ConfigureAwait(false);
        Console.WriteLine(md);
        return 0;
    }

    private static async Task<SuiteResult> RunSuiteAsync(string suite, int warmup, int rounds, double sliceMs)
    {
        switch (suite)
        {
            case "hs256":
            case "rs256":
            case "es256":
                {
                    var alg = suite.ToUpperInvariant();
                    var (contenders, services) = JwtSuites.Validate(alg);
                    using (services)
                    {
                        return await InterleavedRunner.RunAsync(suite, $"{alg} validate → claims", contenders, warmup, rounds, sliceMs).ConfigureAwait(false);
                    }
                }

            case "create":
                {
                    var (contenders, services) = JwtSuites.CreateHs256();
                    using (services)
                    {
                        return await InterleavedRunner.RunAsync(suite, "HS256 create", contenders, warmup, rounds, sliceMs).ConfigureAwait(false);
                    }
                }

            case "bearer":
                {
                    var (contenders, hosts) = await RequestSuites.BearerAsync().ConfigureAwait(false);
                    await using (hosts.ConfigureAwait(false))
                    {
                        return await InterleavedRunner.RunAsync(suite, "Bearer request", contenders, warmup, rounds, sliceMs * 2).ConfigureAwait(false);
                    }
                }

            case "sessions":
                {
                    var (contenders, hosts) = await RequestSuites.SessionsAsync().ConfigureAwait(false);
                    await using (hosts.ConfigureAwait(false))
                    {
                        return await InterleavedRunner.RunAsync(suite, "Session request", contenders, warmup, rounds, sliceMs * 2).ConfigureAwait(false);
                    }
                }

            case "basic":
                {
                    SuiteResult result;
                    var (contenders, hosts) = await RequestSuites.BasicAsync().ConfigureAwait(false);
                    await using (hosts.ConfigureAwait(false))
                    {
                        result = await InterleavedRunner.RunAsync(suite, "HTTP Basic request", contenders, warmup, rounds, sliceMs * 2).ConfigureAwait(false);
                    }

                    const int Requests = 5;
                    var idunnoHashed = await RequestSuites.IdunnoHashedAloneAsync(Requests).ConfigureAwait(false);
                    return result with
                    {
                        Note = $"idunno.Authentication.Basic with the PBKDF2-600k check hashes on every request: {F(idunnoHashed, 0)} ms per request " +
                            $"(median of {Requests}, timed alone after the suite: it cannot run in slices), against the cached AuthKit row above.",
                    };
                }

            case "stores":
                {
                    var (contenders, resources) = await StoreSuites.CreateAsync().ConfigureAwait(false);
                    await using (resources.ConfigureAwait(false))
                    {
                        var result = await InterleavedRunner.RunAsync(suite, "Session stores", contenders, warmup, rounds, sliceMs * 2).ConfigureAwait(false);
                        return result with { Note = $"Redis: {resources.Server}; the file store on {FileSystemOf(resources.Directory!)}." };
                    }
                }

            default:
                throw new ArgumentException($"Unknown suite {suite}: one of {string.Join(", ", s_allSuites)}.");
        }
    }

    /// <summary>Bytes a deep copy of the benchmark's two-claim principal allocates (what a per-request private copy costs).</summary>
    private static double PrincipalCopyBytes()
    {
        var stored = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "bench-user"), new Claim(ClaimTypes.Name, "bench-user")], "bench"));
        object? keep = null;
        for (var i = 0; i < 100; i++)
        {
            keep = new ClaimsPrincipal(stored.Identities.Select(x => x.Clone()).ToList());
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var identities = new List<ClaimsIdentity>(1);
            foreach (var identity in stored.Identities)
            {
                identities.Add(identity.Clone());
            }

            keep = new ClaimsPrincipal(identities);
        }

        GC.KeepAlive(keep);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1000.0;
    }

    private static string FileSystemOf(string path)
    {
        try
        {
            // The longest mount point that holds the path, from /proc/mounts: "device mountpoint type options 0 0".
            var mount = File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).Where(f => f.Length > 2 && path.StartsWith(f[1], StringComparison.Ordinal))
                .OrderByDescending(f => f[1].Length).FirstOrDefault();
            return mount is null ? "an unknown file system" : $"{mount[2]} ({mount[1]})";
        }
        catch (IOException)
        {
            return "an unknown file system";
        }
    }

    private static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        return $"{Environment.ProcessorCount} logical CPUs ({cpu}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
            $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC";
    }

    private static string Render(Dictionary<string, SuiteResult> results, int rounds, int warmup, double sliceMs)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Generated by `benchmarks/run.sh` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Machine()}.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"At least {warmup} warm-up rounds and 3 s, then {rounds} measured rounds per suite; slices of {F(sliceMs, 0)} ms (requests {F(sliceMs * 2, 0)} ms).");
        sb.AppendLine();
        sb.AppendLine("### Targets");
        sb.AppendLine();
        sb.AppendLine("Each figure is the median of the per-round figures, with p10–p90 in brackets; \"fastest decile\" is the same ratio from each");
        sb.AppendLine("contender's p10 time (what the code costs when the shared machine lets it run). The verdict is taken on the per-round median.");
        sb.AppendLine();
        sb.AppendLine("| Work | Measured | Target | Verdict |");
        sb.AppendLine("|---|---|---|---|");
        if (results.TryGetValue("hs256", out var hs))
        {
            var vsPeer = PerRound(hs.Micros[hs.IndexOf(JwtSuites.JsonWebTokenHandler)], hs.Micros[hs.IndexOf(JwtSuites.AuthKit)], (a, b) => a / b);
            var vsFloor = PerRound(hs.Micros[hs.IndexOf(JwtSuites.AuthKit)], hs.Micros[hs.IndexOf(JwtSuites.Floor)], (a, b) => a / b);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| HS256 validate → principal, throughput vs `JsonWebTokenHandler` + identity | {Spread(vsPeer)}×; fastest decile {Fast(hs, JwtSuites.JsonWebTokenHandler, JwtSuites.AuthKit)}× | ≥ 2.50× | {Verdict(Median(vsPeer) >= 2.5, $"{F(2.5 / Median(vsPeer))}× short")} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| HS256 validate → principal, time ÷ bare floor (reused keyed HMAC) | {Spread(vsFloor)}×; fastest decile {Fast(hs, JwtSuites.AuthKit, JwtSuites.Floor)}× | ≤ 1.20× | {Verdict(Median(vsFloor) <= 1.2, $"{F(Median(vsFloor) / 1.2)}× over")} |");
            var principalFloor = PerRound(hs.Micros[hs.IndexOf(JwtSuites.PrincipalFloor)], hs.Micros[hs.IndexOf(JwtSuites.Floor)], (a, b) => a / b);
            var vsPrincipalFloor = PerRound(hs.Micros[hs.IndexOf(JwtSuites.AuthKit)], hs.Micros[hs.IndexOf(JwtSuites.PrincipalFloor)], (a, b) => a / b);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| HS256: the floor that also builds the same principal ÷ bare floor; AuthKit ÷ that floor | {Spread(principalFloor)}×; {Spread(vsPrincipalFloor)}× | — | for reading |");
        }

        if (results.TryGetValue("create", out var cr))
        {
            var vsPeer = PerRound(cr.Micros[cr.IndexOf(JwtSuites.JsonWebTokenHandler)], cr.Micros[cr.IndexOf(JwtSuites.AuthKit)], (a, b) => a / b);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| HS256 create, throughput vs `JsonWebTokenHandler.CreateToken` | {Spread(vsPeer)}×; fastest decile {Fast(cr, JwtSuites.JsonWebTokenHandler, JwtSuites.AuthKit)}× | ≥ 1.50× | {Verdict(Median(vsPeer) >= 1.5, $"{F(1.5 / Median(vsPeer))}× short")} |");
        }

        foreach (var alg in new[] { "rs256", "es256" })
        {
            if (results.TryGetValue(alg, out var r))
            {
                var vsFloor = PerRound(r.Micros[r.IndexOf(JwtSuites.AuthKit)], r.Micros[r.IndexOf(JwtSuites.Floor)], (a, b) => a / b);
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {alg.ToUpperInvariant()} validate, time ÷ bare `VerifyData` floor | {Spread(vsFloor)}×; fastest decile {Fast(r, JwtSuites.AuthKit, JwtSuites.Floor)}× | ≤ 1.10× | {Verdict(Median(vsFloor) <= 1.1, $"{F(Median(vsFloor) / 1.1)}× over")} |");
            }
        }

        if (results.TryGetValue("bearer", out var be))
        {
            var (time, bytes) = AddedRatio(be, RequestSuites.AuthKitBearer, RequestSuites.JwtBearer, RequestSuites.Bare);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Bearer request: added time ÷ `JwtBearer`'s added time | {Spread(time)}×; fastest decile {FastAdded(be, RequestSuites.AuthKitBearer, RequestSuites.JwtBearer, RequestSuites.Bare)}× | ≤ 0.50× | {Verdict(Median(time) <= 0.5, $"{F(Median(time) / 0.5)}× over")} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Bearer request: added allocation ÷ `JwtBearer`'s | {F(bytes)}× | ≤ 0.50× | {Verdict(bytes <= 0.5, $"{F(bytes / 0.5)}× over")} |");
            var (ownTime, ownBytes) = AddedRatio(be, RequestSuites.AuthKitBearer, RequestSuites.JwtBearer, RequestSuites.TrivialScheme);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Bearer request, over the pipeline floor instead of bare (the schemes' own work): time ratio; allocation ratio | {Spread(ownTime)}×; {F(ownBytes)}× | (≤ 0.50×) | for reading |");
        }

        if (results.TryGetValue("sessions", out var se))
        {
            var (time, bytes) = AddedRatio(se, RequestSuites.AuthKitSession, RequestSuites.Framework, RequestSuites.Bare);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Session read-increment-write: added time ÷ Cookie auth + Session's | {Spread(time)}×; fastest decile {FastAdded(se, RequestSuites.AuthKitSession, RequestSuites.Framework, RequestSuites.Bare)}× | ≤ 0.50× | {Verdict(Median(time) <= 0.5, $"{F(Median(time) / 0.5)}× over")} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Session read-increment-write: added allocation ÷ Cookie auth + Session's | {F(bytes)}× | ≤ 0.50× | {Verdict(bytes <= 0.5, $"{F(bytes / 0.5)}× over")} |");
            var (ownTime, ownBytes) = AddedRatio(se, RequestSuites.AuthKitSession, RequestSuites.Framework, RequestSuites.TrivialScheme);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Session read-increment-write, over the pipeline floor instead of bare: time ratio; allocation ratio | {Spread(ownTime)}×; {F(ownBytes)}× | (≤ 0.50×) | for reading |");
            var read = Median(se.Bytes[se.IndexOf(RequestSuites.AuthKitSessionRead)]);
            var readAdded = read - Median(se.Bytes[se.IndexOf(RequestSuites.Bare)]);
            var readOwn = read - Median(se.Bytes[se.IndexOf(RequestSuites.TrivialScheme)]);
            var principal = PrincipalCopyBytes();
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Session read-only request: allocation over bare, beyond a copy of the principal ({F(principal, 0)} B) | {F(readAdded - principal, 0)} B | ≤ 1 024 B | {Verdict(readAdded - principal <= 1024, $"{F(readAdded - principal - 1024, 0)} B over")} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Session read-only request: allocation over the pipeline floor, beyond the principal copy (AuthKit's own) | {F(readOwn - principal, 0)} B | ≤ 1 024 B | {Verdict(readOwn - principal <= 1024, $"{F(readOwn - principal - 1024, 0)} B over")} |");
        }

        if (results.TryGetValue("basic", out var ba))
        {
            var (time, bytes) = AddedRatio(ba, RequestSuites.AuthKitBasicHashed, RequestSuites.AuthKitBasicPlain, RequestSuites.Bare);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Basic with a PBKDF2-600k hash, cache on: added time ÷ the same with a free check, no cache; allocation ratio | {Spread(time)}×; {F(bytes)}× | (≤ 1.20×) | for reading |");
            var (peerTime, peerBytes) = AddedRatio(ba, RequestSuites.AuthKitBasicPlain, RequestSuites.IdunnoBasicPlain, RequestSuites.Bare);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Basic, free check: AuthKit's added time ÷ idunno.Authentication.Basic's; allocation ratio | {Spread(peerTime)}×; {F(peerBytes)}× | — | for reading |");
        }

        if (results.TryGetValue("stores", out var st))
        {
            var vsFloor = PerRound(st.Micros[st.IndexOf(StoreSuites.RedisGet)], st.Micros[st.IndexOf(StoreSuites.HashGetFloor)], (a, b) => a / b);
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Redis store `GetAsync` ÷ a raw `HGET` of 600 bytes (one round trip each) | {Spread(vsFloor)}× | — | for reading |");
        }

        sb.AppendLine();
        foreach (var r in results.Values)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"### {r.Title}");
            sb.AppendLine();
            sb.AppendLine(Header(r));
            sb.AppendLine();
            sb.Append(r.Name switch
            {
                "hs256" => MicroTable(r, JwtSuites.Floor, JwtSuites.PrincipalFloor, JwtSuites.AuthKit),
                "rs256" or "es256" or "create" => MicroTable(r, JwtSuites.Floor, JwtSuites.AuthKit),
                "stores" => MicroTable(r, StoreSuites.HashGetFloor),
                _ => RequestTable(r, RequestSuites.Bare),
            });
            if (r.Note is not null)
            {
                sb.AppendLine();
                sb.AppendLine(r.Note);
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>The same ratio from each contender's fastest decile of rounds (p10 of its times): what the code costs when the machine lets it run.</summary>
    private static string Fast(SuiteResult r, string a, string b) =>
        F(Percentile(r.Micros[r.IndexOf(a)], 0.1) / Percentile(r.Micros[r.IndexOf(b)], 0.1));

    private static string FastAdded(SuiteResult r, string variant, string peer, string bare)
    {
        var b = Percentile(r.Micros[r.IndexOf(bare)], 0.1);
        return F((Percentile(r.Micros[r.IndexOf(variant)], 0.1) - b) / (Percentile(r.Micros[r.IndexOf(peer)], 0.1) - b));
    }

    private static string Verdict(bool met, string distance) => met ? "met" : "missed: " + distance;
}
