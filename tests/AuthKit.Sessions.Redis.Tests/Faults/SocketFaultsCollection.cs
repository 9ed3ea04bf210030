namespace AuthKit.Sessions.Redis.Tests.Faults;

/// <summary>
/// Tests that hold Redis connections stalled, or time a refused connection, run alone: beside each other or beside the rest
/// of the suite, a stalled client's sockets delay other clients' connects past their timeouts and the cause they report.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SocketFaultsCollection
{
    public const string Name = "Redis socket faults";
}
