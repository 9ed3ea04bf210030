using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace AuthKit.Samples.Cluster;

/// <summary>
/// Asks the nodes of a Redis Cluster configuration string (<c>host:port,host:port,…</c>) for <c>CLUSTER INFO</c>, one after
/// another, before any instance starts: so that a cluster that is not there gives the user a way to start one, not a stack
/// trace from each instance.
/// </summary>
internal static class RedisClusterProbe
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>What the first node that answered said, or <see langword="null"/> when no node answered.</summary>
    public static async Task<RedisClusterState?> ProbeAsync(string configuration, CancellationToken cancellationToken)
    {
        foreach (var (host, port) in Endpoints(configuration))
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(AttemptTimeout);
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port, attempt.Token);
                var stream = client.GetStream();
                await stream.WriteAsync("*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n"u8.ToArray(), attempt.Token);
                var reply = await ReadReplyAsync(stream, attempt.Token);
                return new RedisClusterState($"{host}:{port}", reply);
            }
            catch (Exception ex) when ((ex is SocketException or IOException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                // This node is not there (or not a Redis): ask the next one.
            }
        }

        return null;
    }

    /// <summary>What to tell the user when <paramref name="state"/> is not a healthy cluster: what was found, and how to start one.</summary>
    public static string Explain(string configuration, RedisClusterState? state) => state switch
    {
        null => $"""
            No Redis Cluster answers at {configuration} (--redis names its nodes: host:port,host:port,...).
            Start a local one (3 primaries + 3 replicas on 127.0.0.1:7000-7005, no persistence) from the repository root:
              tests/AuthKit.Sessions.Redis.Tests/cluster.sh start
            and stop it afterwards with: tests/AuthKit.Sessions.Redis.Tests/cluster.sh stop
            Or by hand, with redis-server and redis-cli:
              for p in 7000 7001 7002 7003 7004 7005; do mkdir -p /tmp/rc/$p; (cd /tmp/rc/$p && redis-server --port $p --bind 127.0.0.1 --save '' --cluster-enabled yes --cluster-node-timeout 2000 --daemonize yes); done
              redis-cli --cluster create 127.0.0.1:7000 127.0.0.1:7001 127.0.0.1:7002 127.0.0.1:7003 127.0.0.1:7004 127.0.0.1:7005 --cluster-replicas 1 --cluster-yes
            For one Redis server (no cluster), use --store redis.
            """,
        { IsClusterNode: false } => $"{state.Node} answers but is not a Redis Cluster node ({state.Reply.TrimStart('-')}). "
            + "For one Redis server use --store redis; for a cluster point --redis at its nodes, or start one with tests/AuthKit.Sessions.Redis.Tests/cluster.sh start.",
        _ => $"The Redis Cluster at {state.Node} reports cluster_state:{state.Field("cluster_state")} (still forming, or it lost a primary with no replica to promote). "
            + "Wait a few seconds and try again, or start a fresh one with tests/AuthKit.Sessions.Redis.Tests/cluster.sh start.",
    };

    /// <summary>The <c>host:port</c> entries of a StackExchange.Redis configuration string (options such as <c>password=…</c> skipped).</summary>
    public static IEnumerable<(string Host, int Port)> Endpoints(string configuration)
    {
        foreach (var part in configuration.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            var colon = part.LastIndexOf(':');
            if (colon < 0)
            {
                yield return (part, 6379);
            }
            else if (colon > 0 && int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                yield return (part[..colon], port);
            }
        }
    }

    /// <summary>Reads one RESP reply: a bulk string (the INFO text), or an error / status line (returned with its marker).</summary>
    private static async Task<string> ReadReplyAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var received = new List<byte>();
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The node closed the connection.");
            }

            received.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.UTF8.GetString([.. received]);
            var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                continue;
            }

            if (text[0] != '$')
            {
                return text[..lineEnd];
            }

            var length = int.Parse(text.AsSpan(1, lineEnd - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (length < 0)
            {
                return "";
            }

            if (received.Count >= lineEnd + 2 + length)
            {
                return Encoding.UTF8.GetString([.. received], lineEnd + 2, length);
            }

            if (received.Count > 1024 * 1024)
            {
                throw new IOException("The node's answer is too long for CLUSTER INFO.");
            }
        }
    }
}

/// <summary>A node's answer to <c>CLUSTER INFO</c>.</summary>
/// <param name="Node">The node that answered, <c>host:port</c>.</param>
/// <param name="Reply">The INFO text, or the error line (starting with <c>-</c>) of a node without cluster mode.</param>
internal sealed record RedisClusterState(string Node, string Reply)
{
    /// <summary>Whether the node is a cluster node at all (a plain Redis answers "ERR This instance has cluster support disabled").</summary>
    public bool IsClusterNode => !Reply.StartsWith('-');

    /// <summary>Whether the node reports <c>cluster_state:ok</c> (every slot served).</summary>
    public bool IsOk => Field("cluster_state") == "ok";

    /// <summary>A field of the INFO text (<c>cluster_size</c>, <c>cluster_known_nodes</c>, …), or <see langword="null"/>.</summary>
    public string? Field(string name)
        => Reply.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..];
}
