namespace AuthKit.TestInfrastructure;

/// <summary>What a <see cref="StallingTcpProxy"/> does with its connections.</summary>
public enum StallMode
{
    /// <summary>Forwards unchanged.</summary>
    Pass,

    /// <summary>Forwards every chunk late, by <see cref="StallingTcpProxy.Delay"/>.</summary>
    Delay,

    /// <summary>Accepts connections and forwards nothing either way until the mode changes (bytes are held, not lost).</summary>
    Blackhole,

    /// <summary>Shuts down the client's side of every connection for sending; what the client sends is thrown away.</summary>
    HalfClose,

    /// <summary>Aborts every connection with a TCP reset, and resets new ones as soon as they are accepted.</summary>
    Reset,
}
