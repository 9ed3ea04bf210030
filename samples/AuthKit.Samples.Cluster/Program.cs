// The cluster demo: a YARP round-robin load balancer in this process, and three WebApp instances as separate processes,
// all on loopback and all sharing one session store (memory: not shared at all — the problem) and, through it, AuthKit's keys.
//
//   dotnet run --project samples/AuthKit.Samples.Cluster -- --store redis|redis-cluster|file|memory [--redis host:port] [--port 5090]
//
// --store redis-cluster connects to a running Redis Cluster: --redis names its nodes (default 127.0.0.1:7000,127.0.0.1:7001,
// 127.0.0.1:7002, the cluster tests/AuthKit.Sessions.Redis.Tests/cluster.sh starts).
//
// Other settings: --instances 3, --data <folder> (default: a temporary folder, deleted on exit), --redis-prefix <key prefix>,
// --webapp <path of AuthKit.Samples.WebApp.dll>, --parent-pid <pid> (stop when that process exits), --quiet true (hide the
// instances' logs), --start-timeout <seconds>, --restart true (start an instance again when it dies, on a new port, and put
// it back behind the balancer), --diagnostics true (each instance answers GET /diagnostics/memory on loopback: its RSS and
// GC heap, for the soak run in benchmarks/AuthKit.Soak).
//
// An instance that dies is taken out of the rotation at once: a request it refuses goes to another instance, one it held
// when it died is answered 503 with Retry-After (see InstanceFailover).
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AuthKit.Samples;
using AuthKit.Samples.Cluster;
using Garnet;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

// The nodes --store redis-cluster connects to without --redis: the primaries cluster.sh starts.
const string DefaultRedisCluster = "127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002";

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;
var store = (config["store"] ?? "file").Trim().ToLowerInvariant();
if (store is not ("memory" or "file" or "redis" or "redis-cluster"))
{
    Console.Error.WriteLine($"--store must be memory, file, redis or redis-cluster (was '{store}').");
    return 2;
}

var instanceCount = config.GetValue("instances", 3);
if (instanceCount is < 1 or > 26)
{
    Console.Error.WriteLine("--instances must be between 1 and 26.");
    return 2;
}

var webAppDll = WebAppLocator.Find(config["webapp"]);
if (webAppDll is null)
{
    Console.Error.WriteLine("AuthKit.Samples.WebApp.dll was not found. Build it first: dotnet build samples/AuthKit.Samples.Cluster");
    Console.Error.WriteLine("(or pass --webapp <path to AuthKit.Samples.WebApp.dll>). Looked in:");
    foreach (var candidate in WebAppLocator.Candidates(config["webapp"]))
    {
        Console.Error.WriteLine("  " + candidate);
    }

    return 2;
}

// A data folder of this run: the shared session directory (file store) and the shared antiforgery keys.
var ownsDataDirectory = string.IsNullOrWhiteSpace(config["data"]);
var dataDirectory = ownsDataDirectory
    ? Path.Combine(Path.GetTempPath(), $"authkit-cluster-{store}-{Guid.NewGuid():N}")
    : Path.GetFullPath(config["data"]!);
Directory.CreateDirectory(dataDirectory);

var quiet = config.GetValue("quiet", false);
var restart = config.GetValue("restart", false);
var diagnostics = config.GetValue("diagnostics", false);
var outputLock = new object();
void Output(string line)
{
    lock (outputLock)
    {
        Console.WriteLine(line);
    }
}

GarnetServer? garnet = null;
var instances = new List<ClusterInstance>();
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    // Last resort (SIGTERM, or a path that skipped the finally below): never leave children behind.
    ClusterInstance[] running;
    lock (instances)
    {
        running = [.. instances];
    }

    foreach (var instance in running)
    {
        instance.Kill();
    }
};

try
{
    var redis = config["redis"];
    if (store == "redis" && string.IsNullOrWhiteSpace(redis))
    {
        (garnet, redis) = StartGarnet();
        Output($"No --redis given: hosting Garnet (a Redis-compatible server) in-process at {redis}.");
    }

    var clusterDescription = "";
    if (store == "redis-cluster")
    {
        // Asked before any instance starts: a missing cluster gets one clear message, not three instances' stack traces.
        redis = string.IsNullOrWhiteSpace(redis) ? DefaultRedisCluster : redis.Trim();
        var state = await RedisClusterProbe.ProbeAsync(redis, CancellationToken.None);
        if (state is not { IsClusterNode: true, IsOk: true })
        {
            Console.Error.WriteLine(RedisClusterProbe.Explain(redis, state));
            return 1;
        }

        clusterDescription = $"{state.Field("cluster_size")} primaries, {state.Field("cluster_known_nodes")} nodes";
        Output($"Redis Cluster at {redis}: {clusterDescription}, cluster_state:ok (asked {state.Node}).");
    }

    // Every instance signs and verifies with the same keys (a cookie signed by A must verify on B, a token issued by A must
    // validate on B). With a shared store, AuthKit's managed key ring keeps them in the store: created, shared and rotated
    // without anything to copy. The memory store shares nothing, so there one fixed key ring is passed in the environment.
    var environment = store == "memory"
        ? new Dictionary<string, string>
        {
            ["AuthKit__Keys__0__KeyId"] = "cluster",
            ["AuthKit__Keys__0__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["AuthKit__Jwt__Keys__0__KeyId"] = "cluster-es256",
            ["AuthKit__Jwt__Keys__0__Algorithm"] = "ES256",
            ["AuthKit__Jwt__Keys__0__Pem"] = CreateEcdsaPem(),
        }
        : new Dictionary<string, string> { ["AuthKit__ManagedKeys__Enabled"] = "true" };

    // Each health check bounds its own attempts (ClusterInstance); the start timeout bounds the whole wait.
    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    var startTimeout = TimeSpan.FromSeconds(config.GetValue("start-timeout", 90));
    var names = Enumerable.Range(0, instanceCount).Select(i => ((char)('A' + i)).ToString()).ToList();

    ClusterInstance Launch(string name)
    {
        var settings = new Dictionary<string, string>
        {
            ["AuthKitSample:InstanceName"] = name,
            ["AuthKitSample:Store"] = store,
            ["AuthKitSample:DataDirectory"] = dataDirectory,
            ["AuthKitSample:ParentProcessId"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The demo balancer speaks plain HTTP to its instances on loopback: AuthKit's one insecure setting lets the session
            // cookie and the /admin area's Basic work over it outside Development. A real cluster terminates TLS at the balancer
            // and runs UseForwardedHeaders() instead.
            ["AuthKit:AllowInsecureHttp"] = "true",
            // The launcher prints the addresses itself; keep the instances' logs to what matters.
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        if (diagnostics)
        {
            settings["AuthKitSample:Diagnostics"] = "true";
        }

        if (store is "redis" or "redis-cluster")
        {
            // The WebApp's Redis store as it is: StackExchange.Redis finds the cluster's nodes and slots from the string.
            settings["AuthKitSample:Store"] = "redis";
            settings["AuthKitSample:Redis"] = redis!;
            if (!string.IsNullOrEmpty(config["redis-prefix"]))
            {
                // Keeps this cluster's keys apart from other users of the same Redis.
                settings["AuthKit:RedisStore:KeyPrefix"] = config["redis-prefix"]!;
            }
        }

        var instance = ClusterInstance.Start(name, webAppDll, settings, environment, quiet ? _ => { } : Output);
        lock (instances)
        {
            instances.Add(instance);
        }

        return instance;
    }

    // The first instance creates the antiforgery keys in the shared folder; the others start once they exist.
    var first = Launch(names[0]);
    await first.WaitUntilReadyAsync(http, startTimeout, CancellationToken.None);
    var rest = names.Skip(1).Select(Launch).ToList();
    await Task.WhenAll(rest.Select(i => i.WaitUntilReadyAsync(http, startTimeout, CancellationToken.None)));

    var routes = new[]
    {
        new RouteConfig { RouteId = "all", ClusterId = "webapp", Match = new RouteMatch { Path = "{**catch-all}" } }
            // The apps build redirects from the Host header: keep the balancer's, so the browser never leaves it.
            .WithTransformUseOriginalHostHeader(),
    };
    ClusterConfig[] Clusters()
    {
        lock (instances)
        {
            return
            [
                new ClusterConfig
                {
                    ClusterId = "webapp",
                    LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    Destinations = instances.Where(i => i.Url is not null).ToDictionary(i => i.Name, i => new DestinationConfig { Address = i.Url!.ToString() }),
                    // An instance that stops answering /healthz leaves the rotation, and comes back when it answers again.
                    HealthCheck = new HealthCheckConfig
                    {
                        Active = new ActiveHealthCheckConfig { Enabled = true, Interval = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(5), Path = "/healthz", Policy = "ConsecutiveFailures" },
                        Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(10) },
                    },
                },
            ];
        }
    }

    builder.Services.AddReverseProxy().LoadFromMemory(routes, Clusters());
    builder.Logging.AddFilter("Yarp", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
    if (int.TryParse(config["parent-pid"], out var parentPid))
    {
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ParentProcessWatcher>(sp, parentPid));
    }

    var port = config.GetValue("port", 5090);
    if (port != 0 && !IsFree(port))
    {
        Output($"Port {port} is in use; letting the system choose one.");
        port = 0;
    }

    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    var app = builder.Build();
    app.MapReverseProxy(proxy =>
    {
        proxy.UseSessionAffinity();
        proxy.UseLoadBalancing();
        proxy.UsePassiveHealthChecks();
        proxy.UseInstanceFailover();
    });
    await app.StartAsync();

    var balancer = app.Urls.First().TrimEnd('/');
    Output("");
    Output($"AuthKit cluster demo — store: {store}" + store switch
    {
        "file" => $" (shared directory {Path.Combine(dataDirectory, "sessions")})",
        "redis" => $" ({redis})",
        "redis-cluster" => $" ({redis}: {clusterDescription})",
        _ => " (each instance keeps its own sessions: signing in on one does not count on the others)",
    });
    foreach (var instance in instances)
    {
        Output($"  instance {instance.Name}: {instance.Url} (pid {instance.ProcessId})");
    }

    Output($"Load balancer (round robin) listening on {balancer}");
    Output("Open it in a browser and reload: the line 'Served by instance …' changes on every request. Ctrl+C stops everything.");

    if (restart)
    {
        // Supervision: an instance that dies is started again (on a new port) and put back behind the balancer.
        var proxyConfig = app.Services.GetRequiredService<InMemoryConfigProvider>();
        var stopping = app.Lifetime.ApplicationStopping;
        foreach (var name in names)
        {
            _ = Task.Run(async () =>
            {
                while (!stopping.IsCancellationRequested)
                {
                    ClusterInstance current;
                    lock (instances)
                    {
                        current = instances.Last(i => i.Name == name);
                    }

                    await current.Exited.WaitAsync(stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    if (stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    Output($"  instance {name} (pid {current.ProcessId}) exited; starting it again.");
                    lock (instances)
                    {
                        instances.Remove(current);
                    }

                    await current.DisposeAsync();
                    try
                    {
                        var again = Launch(name);
                        await again.WaitUntilReadyAsync(http, startTimeout, stopping);
                        proxyConfig.Update(routes, Clusters());
                        Output($"  instance {name}: {again.Url} (pid {again.ProcessId}) restarted");
                    }
                    catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
                    {
                        Output($"  instance {name} did not start again: {ex.Message}");
                        proxyConfig.Update(routes, Clusters());
                    }
                }
            });
        }
    }

    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine($"The cluster did not start: {ex.Message}");
    return 1;
}
finally
{
    await Task.WhenAll(instances.ToArray().Select(i => i.DisposeAsync().AsTask()));
    garnet?.Dispose();
    if (ownsDataDirectory)
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

static (GarnetServer Server, string Address) StartGarnet()
{
    for (var attempt = 1; ; attempt++)
    {
        var port = FreePort();
        var server = new GarnetServer(
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--lua", "--lua-transaction-mode",
            "--memory", "64m", "--index", "8m",
            "--checkpoint-freq", "0",
        ]);
        try
        {
            server.Start();
            return (server, $"127.0.0.1:{port}");
        }
        catch (Exception) when (attempt < 3)
        {
            // Someone took the port between the probe and the bind.
            server.Dispose();
        }
    }
}

static string CreateEcdsaPem()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    return key.ExportPkcs8PrivateKeyPem();
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static bool IsFree(int port)
{
    try
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return true;
    }
    catch (SocketException)
    {
        return false;
    }
}
