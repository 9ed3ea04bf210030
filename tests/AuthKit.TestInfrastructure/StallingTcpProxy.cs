using System.Net;
using System.Net.Sockets;

namespace AuthKit.TestInfrastructure;

/// <summary>
/// A loopback TCP proxy in front of one server (a Redis from <see cref="RedisTestServer"/>) that misbehaves on demand, so
/// tests can see what a store client does when the network between it and its server stalls, drops or breaks
/// connections. The mode is switched at run time and applies to open connections as well as new ones.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="StallMode.Pass"/>: bytes flow both ways unchanged.</item>
/// <item><see cref="StallMode.Delay"/>: every chunk, either way, is forwarded <see cref="Delay"/> late (order kept).</item>
/// <item><see cref="StallMode.Blackhole"/>: connections are accepted but nothing is forwarded either way; what was sent
/// waits, as a TCP peer keeps retransmitting through a partition, and flows once the mode is <see cref="StallMode.Pass"/>
/// again. The client sees an open connection that never answers.</item>
/// <item><see cref="StallMode.HalfClose"/>: the client's side of every connection is shut down for sending (the client
/// reads end-of-stream) while its own writes are read and thrown away; new connections are half-closed at once.</item>
/// <item><see cref="StallMode.Reset"/>: every connection is aborted with a TCP reset (RST); new ones are reset as soon as
/// they are accepted.</item>
/// </list>
/// </remarks>
public sealed class StallingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Connection> _connections = [];
    private readonly object _gate = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource _passing = NewGate(open: true);
    private StallMode _mode = StallMode.Pass;
    private TimeSpan _delay;
    private int _accepted;
    private long _forwarded;

    private StallingTcpProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The proxy's own port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c> of the proxy, usable as a StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The current mode.</summary>
    public StallMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }
    }

    /// <summary>The delay of <see cref="StallMode.Delay"/>.</summary>
    public TimeSpan Delay
    {
        get
        {
            lock (_gate)
            {
                return _delay;
            }
        }
    }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>Bytes forwarded so far, both ways.</summary>
    public long BytesForwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Starts a proxy on a free loopback port, forwarding to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static StallingTcpProxy Start(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        return new StallingTcpProxy(new IPEndPoint(address, port));
    }

    /// <summary>Starts a proxy in front of <paramref name="server"/> (a single server: a cluster's nodes redirect clients past it).</summary>
    public static StallingTcpProxy Start(RedisTestServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.IsCluster)
        {
            throw new InvalidOperationException("A Redis Cluster redirects clients to its other nodes, past the proxy; use a single server.");
        }

        return Start(server.Host, server.Port);
    }

    /// <summary>Forwards unchanged from now on; held bytes (<see cref="StallMode.Blackhole"/>) flow.</summary>
    public void Pass() => SetMode(StallMode.Pass, TimeSpan.Zero);

    /// <summary>Forwards every chunk <paramref name="delay"/> late from now on.</summary>
    public void DelayBy(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        SetMode(StallMode.Delay, delay);
    }

    /// <summary>Forwards nothing from now on (see <see cref="StallMode.Blackhole"/>).</summary>
    public void Blackhole() => SetMode(StallMode.Blackhole, TimeSpan.Zero);

    /// <summary>Half-closes every connection now and every new one (see <see cref="StallMode.HalfClose"/>).</summary>
    public void HalfClose() => SetMode(StallMode.HalfClose, TimeSpan.Zero);

    /// <summary>Resets every connection now and every new one (see <see cref="StallMode.Reset"/>).</summary>
    public void Reset() => SetMode(StallMode.Reset, TimeSpan.Zero);

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        Connection[] open;
        lock (_gate)
        {
            open = [.. _connections];
            _passing.TrySetResult();
        }

        foreach (var connection in open)
        {
            connection.Close(reset: false);
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"proxy {ConnectionString} → {_upstream} ({Mode})";

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private void SetMode(StallMode mode, TimeSpan delay)
    {
        Connection[] open;
        lock (_gate)
        {
            _mode = mode;
            _delay = delay;
            if (mode == StallMode.Blackhole)
            {
                if (_passing.Task.IsCompleted)
                {
                    _passing = NewGate(open: false);
                }
            }
            else
            {
                _passing.TrySetResult();
            }

            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            Apply(connection, mode);
        }
    }

    private static void Apply(Connection connection, StallMode mode)
    {
        switch (mode)
        {
            case StallMode.HalfClose:
                connection.HalfClose();
                break;
            case StallMode.Reset:
                connection.Close(reset: true);
                break;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var connection = new Connection(client);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                connection.Close(reset: false);
                return;
            }

            _connections.Add(connection);
        }

        try
        {
            var mode = Mode;
            if (mode is StallMode.HalfClose or StallMode.Reset)
            {
                Apply(connection, mode);
                if (mode == StallMode.Reset)
                {
                    return;
                }
            }

            try
            {
                await connection.Upstream.ConnectAsync(_upstream, connection.Closed).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                connection.Close(reset: true);
                return;
            }

            await Task.WhenAll(
                PumpAsync(connection, connection.Client, connection.Upstream),
                PumpAsync(connection, connection.Upstream, connection.Client)).ConfigureAwait(false);
        }
        finally
        {
            connection.Close(reset: false);
            lock (_gate)
            {
                _connections.Remove(connection);
            }
        }
    }

    private async Task PumpAsync(Connection connection, Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await WaitWhileBlackholedAsync(connection.Closed).ConfigureAwait(false);
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, connection.Closed).ConfigureAwait(false);
                if (read == 0)
                {
                    // End of stream from one side: pass the half-close on and let the other direction finish.
                    connection.ShutdownSend(to);
                    return;
                }

                await WaitWhileBlackholedAsync(connection.Closed).ConfigureAwait(false);
                var (mode, delay) = CurrentMode();
                if (mode == StallMode.Delay && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, connection.Closed).ConfigureAwait(false);
                }

                if (connection.IsHalfClosed)
                {
                    // The client was told the connection ended: what it still sends goes nowhere, nothing reaches it.
                    continue;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, connection.Closed).ConfigureAwait(false);
                }

                Interlocked.Add(ref _forwarded, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            connection.Close(reset: false);
        }
    }

    private (StallMode Mode, TimeSpan Delay) CurrentMode()
    {
        lock (_gate)
        {
            return (_mode, _delay);
        }
    }

    private Task WaitWhileBlackholedAsync(CancellationToken cancellationToken)
    {
        Task gate;
        lock (_gate)
        {
            gate = _passing.Task;
        }

        return gate.IsCompleted ? Task.CompletedTask : gate.WaitAsync(cancellationToken);
    }

    /// <summary>One client connection and its upstream connection.</summary>
    private sealed class Connection(Socket client)
    {
        private readonly CancellationTokenSource _closed = new();
        private int _halfClosed;
        private int _isClosed;

        public Socket Client { get; } = client;

        public Socket Upstream { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

        public CancellationToken Closed => _closed.Token;

        public bool IsHalfClosed => Volatile.Read(ref _halfClosed) != 0;

        public void HalfClose()
        {
            if (Interlocked.Exchange(ref _halfClosed, 1) == 0)
            {
                ShutdownSend(Client);
            }
        }

        public void ShutdownSend(Socket socket)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        public void Close(bool reset)
        {
            if (Interlocked.Exchange(ref _isClosed, 1) != 0)
            {
                return;
            }

            foreach (var socket in new[] { Client, Upstream })
            {
                try
                {
                    if (reset)
                    {
                        // Linger 0: close sends RST instead of FIN.
                        socket.LingerState = new LingerOption(true, 0);
                    }

                    socket.Close();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
            }

            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
