using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;

namespace AuthKit.TestInfrastructure;

/// <summary>
/// A Redis-protocol server for tests: a real <c>redis-server</c> when one is available, otherwise Microsoft Garnet hosted
/// in-process, so the suite passes on a machine without Redis.
/// </summary>
/// <remarks>
/// <para><see cref="GetSharedAsync"/> gives one process-wide server, chosen by the <c>AUTHKIT_TEST_REDIS_CLUSTER</c>
/// environment variable (a Redis Cluster: <c>host:port,host:port,…</c> of some of its nodes, for example as printed by
/// <c>tests/AuthKit.Sessions.Redis.Tests/cluster.sh start</c>), else by <c>AUTHKIT_TEST_REDIS</c>: <c>host:port</c> uses
/// that server; <c>garnet</c> hosts Garnet in-process; unset tries 127.0.0.1:6379 and falls back to an in-process Garnet on
/// a free loopback port. Tests sharing it must keep to their own keys (see
/// <see cref="UniquePrefix"/>) and never FLUSHALL.</para>
/// <para><see cref="StartDedicatedAsync"/> gives a private server the test may stop and restart on the same port: a
/// <c>redis-server</c> child process when <c>redis-server</c> is on PATH and <c>AUTHKIT_TEST_REDIS</c> is not <c>garnet</c>,
/// otherwise an in-process Garnet.</para>
/// </remarks>
public sealed class RedisTestServer : IAsyncDisposable
{
    /// <summary>The environment variable that picks the shared server.</summary>
    public const string EnvironmentVariable = "AUTHKIT_TEST_REDIS";

    /// <summary>The environment variable that makes the shared server a Redis Cluster (some of its nodes, comma-separated).</summary>
    public const string ClusterEnvironmentVariable = "AUTHKIT_TEST_REDIS_CLUSTER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly object SharedGate = new();
    private static Task<RedisTestServer>? s_shared;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _owned;
    private readonly bool _useRedisProcess;
    private GarnetServer? _garnet;
    private Process? _process;
    private bool _disposed;

    private readonly (string Host, int Port)[] _endpoints;

    private RedisTestServer(string host, int port, string kind, bool owned, bool useRedisProcess, (string Host, int Port)[]? endpoints = null)
    {
        Host = host;
        Port = port;
        Kind = kind;
        _owned = owned;
        _useRedisProcess = useRedisProcess;
        _endpoints = endpoints ?? [(host, port)];
    }

    /// <summary>The server's host (always loopback for servers this class starts).</summary>
    public string Host { get; }

    /// <summary>The server's TCP port.</summary>
    public int Port { get; }

    /// <summary><c>host:port</c> (every known node of a cluster, comma-separated), usable as a StackExchange.Redis configuration string.</summary>
    public string ConnectionString => string.Join(",", _endpoints.Select(e => $"{e.Host}:{e.Port}"));

    /// <summary><c>redis</c> for a real Redis server, <c>garnet</c> for Microsoft Garnet, <c>cluster</c> for a Redis Cluster.</summary>
    public string Kind { get; private set; }

    /// <summary><see langword="true"/> for a real Redis server (or cluster).</summary>
    public bool IsRedis => Kind is "redis" or "cluster";

    /// <summary><see langword="true"/> for a Redis Cluster (<c>AUTHKIT_TEST_REDIS_CLUSTER</c>).</summary>
    public bool IsCluster => Kind == "cluster";

    /// <summary><see langword="true"/> for a server started by <see cref="StartDedicatedAsync"/>, which may be stopped and restarted.</summary>
    public bool IsDedicated => _owned;

    /// <summary><see langword="true"/> while a dedicated server is stopped.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>The process-wide shared server (see the remarks on <see cref="RedisTestServer"/>).</summary>
    public static Task<RedisTestServer> GetSharedAsync()
    {
        lock (SharedGate)
        {
            if (s_shared is null || s_shared.IsFaulted || s_shared.IsCanceled)
            {
                s_shared = CreateSharedAsync();
            }

            return s_shared;
        }
    }

    /// <summary>Starts a private server the caller may stop, restart and must dispose.</summary>
    public static async Task<RedisTestServer> StartDedicatedAsync()
    {
        var setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var useRedis = !string.Equals(setting, "garnet", StringComparison.OrdinalIgnoreCase) && FindOnPath("redis-server") is not null;
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisTestServer(IPAddress.Loopback.ToString(), GetFreePort(), useRedis ? "redis" : "garnet", owned: true, useRedisProcess: useRedis);
            try
            {
                await server.StartAsync().ConfigureAwait(false);
                return server;
            }
            catch (Exception) when (attempt < 3)
            {
                // Another process may have taken the free port between our probe and the bind; try another one.
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A key prefix unique to this call, so tests sharing a server never see each other's keys.</summary>
    public static string UniquePrefix(string area = "test") => $"{area}:{Guid.NewGuid():N}:";

    /// <summary>Opens a new connection (admin commands allowed); the caller disposes it.</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync()
    {
        return await ConnectionMultiplexer.ConnectAsync(CreateConfiguration()).ConfigureAwait(false);
    }

    /// <summary>Configuration for a new connection to this server (admin commands allowed), to adjust before connecting.</summary>
    public ConfigurationOptions CreateConfiguration()
    {
        var options = CreateOptions(Host, Port, TimeSpan.FromSeconds(10));
        foreach (var (host, port) in _endpoints.Skip(1))
        {
            options.EndPoints.Add(host, port);
        }

        return options;
    }

    /// <summary>Starts a dedicated server again on the same port after <see cref="StopAsync"/>.</summary>
    public async Task StartAsync()
    {
        EnsureDedicated();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is not null || _garnet is not null)
            {
                return;
            }

            var deadline = DateTime.UtcNow + StartTimeout;
            while (true)
            {
                try
                {
                    if (_useRedisProcess)
                    {
                        StartRedisProcess();
                    }
                    else
                    {
                        _garnet = StartGarnet(Port);
                    }

                    await WaitUntilReadyAsync(deadline).ConfigureAwait(false);
                    break;
                }
                catch (Exception) when (DateTime.UtcNow < deadline && !IsStopped)
                {
                    // First start: let the caller pick another port.
                    await StopCoreAsync().ConfigureAwait(false);
                    throw;
                }
                catch (Exception) when (DateTime.UtcNow < deadline)
                {
                    // Restart: the port may still be held by the old listener for a moment.
                    await StopCoreAsync().ConfigureAwait(false);
                    await Task.Delay(200).ConfigureAwait(false);
                }
            }

            IsStopped = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether <see cref="PauseAsync"/> works: a dedicated <c>redis-server</c> child process (not Garnet, which runs in this process).</summary>
    public bool CanPause => _useRedisProcess && _process is not null;

    /// <summary>
    /// Freezes a dedicated <c>redis-server</c> (SIGSTOP): connections stay open but nothing is answered, the way a hung or
    /// overloaded server behaves. <see cref="ResumeAsync"/> (SIGCONT) undoes it.
    /// </summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Resumes a server frozen by <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        EnsureDedicated();
        if (!CanPause)
        {
            throw new InvalidOperationException("Only a dedicated redis-server process can be paused.");
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync().ConfigureAwait(false);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>Stops a dedicated server abruptly (clients see the connection drop). Its data is lost.</summary>
    public async Task StopAsync()
    {
        EnsureDedicated();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
            IsStopped = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops a dedicated server; does nothing for the shared one.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_owned)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} at {ConnectionString}{(_owned ? " (dedicated)" : "")}";

    private static async Task<RedisTestServer> CreateSharedAsync()
    {
        var cluster = Environment.GetEnvironmentVariable(ClusterEnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(cluster))
        {
            var endpoints = cluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseHostPort).ToArray();
            if (endpoints.Length == 0 || await ProbeKindAsync(endpoints[0].Host, endpoints[0].Port, TimeSpan.FromSeconds(10)).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException($"{ClusterEnvironmentVariable}={cluster}: no Redis node answers there.");
            }

            return new RedisTestServer(endpoints[0].Host, endpoints[0].Port, "cluster", owned: false, useRedisProcess: false, endpoints);
        }

        var setting = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim();
        if (string.Equals(setting, "garnet", StringComparison.OrdinalIgnoreCase))
        {
            return HostSharedGarnet();
        }

        if (!string.IsNullOrEmpty(setting))
        {
            var endpoint = ParseHostPort(setting);
            var kind = await ProbeKindAsync(endpoint.Host, endpoint.Port, TimeSpan.FromSeconds(10)).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{EnvironmentVariable}={setting}: no Redis server answers there.");
            return new RedisTestServer(endpoint.Host, endpoint.Port, kind, owned: false, useRedisProcess: false);
        }

        var local = await ProbeKindAsync("127.0.0.1", 6379, TimeSpan.FromMilliseconds(750)).ConfigureAwait(false);
        return local is not null
            ? new RedisTestServer("127.0.0.1", 6379, local, owned: false, useRedisProcess: false)
            : HostSharedGarnet();
    }

    private static RedisTestServer HostSharedGarnet()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = GetFreePort();
            try
            {
                var garnet = StartGarnet(port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => garnet.Dispose();
                return new RedisTestServer("127.0.0.1", port, "garnet", owned: false, useRedisProcess: false);
            }
            catch (Exception) when (attempt < 3)
            {
            }
        }
    }

    private static GarnetServer StartGarnet(int port)
    {
        string[] args =
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--lua",
            // Scripts lock the keys they declare and run as one transaction, as Redis runs every script atomically.
            "--lua-transaction-mode",
            "--memory", "64m",
            "--index", "8m",
            "--checkpoint-freq", "0",
            "--commandstats-monitor",
        ];
        var server = new GarnetServer(args);
        try
        {
            server.Start();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private void StartRedisProcess()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");

        // A test run that ends without disposing the server (a crash, a cancelled run) must not leave redis-server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task WaitUntilReadyAsync(DateTime deadline)
    {
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} (port {Port} taken?).");
            }

            if (await ProbeKindAsync(Host, Port, TimeSpan.FromSeconds(2)).ConfigureAwait(false) is not null)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The test {Kind} server on port {Port} did not answer within {StartTimeout}.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private async Task StopCoreAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                process.Dispose();
            }
        }

        if (_garnet is { } garnet)
        {
            _garnet = null;
            garnet.Dispose();
        }
    }

    private void EnsureDedicated()
    {
        if (!_owned)
        {
            throw new InvalidOperationException("The shared test server cannot be stopped or restarted; use StartDedicatedAsync().");
        }
    }

    private static ConfigurationOptions CreateOptions(string host, int port, TimeSpan connectTimeout)
    {
        var options = new ConfigurationOptions
        {
            AllowAdmin = true,
            AbortOnConnectFail = true,
            ConnectTimeout = (int)connectTimeout.TotalMilliseconds,
            SyncTimeout = 10_000,
            AsyncTimeout = 10_000,
            ConnectRetry = 1,
        };
        options.EndPoints.Add(host, port);
        return options;
    }

    private static async Task<string?> ProbeKindAsync(string host, int port, TimeSpan timeout)
    {
        try
        {
            using (var client = new TcpClient())
            {
                using var cts = new CancellationTokenSource(timeout);
                await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            }

            var options = CreateOptions(host, port, timeout);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            var server = connection.GetServer(host, port);
            var info = await server.InfoRawAsync("server").ConfigureAwait(false) ?? "";
            return info.Contains("garnet", StringComparison.OrdinalIgnoreCase) ? "garnet" : "redis";
        }
        catch (Exception ex) when (ex is SocketException or RedisException or OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }

    private static (string Host, int Port) ParseHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            throw new InvalidOperationException($"{EnvironmentVariable} must be 'host:port' or 'garnet' ({ClusterEnvironmentVariable}: 'host:port,host:port,…'), not '{value}'.");
        }

        return (value[..colon], port);
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string file)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
