// The soak run: the cluster sample (a YARP balancer over three WebApp instances sharing one Redis) under a scripted mix of
// sign-ins, page reads with session writes, token issue/validate/refresh, sign-out and sign-out-everywhere, with instance B
// killed (SIGKILL) half-way and started again by the cluster. Prints requests, statuses, p50/p99 latency and each
// instance's RSS and GC heap every 10 s, then the checks; exits 1 when a check failed.
//
//   dotnet run -c Release --project benchmarks/AuthKit.Soak -- [--duration 600] [--clients 8] [--kill-at <seconds>]
//       [--redis 127.0.0.1:6379] [--think-ms 25] [--max-rss-growth 1.5] [--max-rss-mb 512] [--report soak.md]
//
// Redis must answer at --redis (redis-server --port 6379 --bind 127.0.0.1 --save '' --daemonize yes). See docs/reliability.md.
using System.Globalization;
using AuthKit.Soak;

var options = new SoakOptions { Log = line => Console.WriteLine(line) };
string? reportPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--duration": options.Duration = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--clients": options.Clients = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--kill-at": options.KillAt = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--redis": options.Redis = Value(); break;
        case "--think-ms": options.ThinkTime = TimeSpan.FromMilliseconds(double.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--max-rss-growth": options.MaxRssGrowth = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--max-rss-mb": options.MaxRssBytes = long.Parse(Value(), CultureInfo.InvariantCulture) * 1024 * 1024; break;
        case "--cluster-dll": options.ClusterDll = Value(); break;
        case "--report": reportPath = Value(); break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. See the comment at the top of benchmarks/AuthKit.Soak/Program.cs.");
            return 2;
    }
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var result = await SoakRunner.RunAsync(options, cancel.Token);
var report = result.Report();
Console.WriteLine();
Console.WriteLine(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report);
}

return result.Failures.Count == 0 ? 0 : 1;
