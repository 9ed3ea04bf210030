using AuthKit.Internal;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.Redis.Tests;

/// <summary>What an operator reads when Redis is down: the real cause (the refused connection), not a wrapper's type name.</summary>
[Collection(Faults.SocketFaultsCollection.Name)]
public sealed class RedisFailureCauseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_pointed_at_a_closed_port_fails_with_the_refused_connection_as_its_cause()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        var options = Options.Create(new RedisSessionStoreOptions
        {
            Configuration = "127.0.0.1:1",
            OperationTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        });
        await using var store = new RedisSessionStore(options, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<SessionStoreException>(
            () => store.GetAsync(SessionKey.FromSessionId(SessionIds.Create()), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
        var cause = FailureCause.Describe(failure);

        Assert.Contains("(ConnectionRefused) (SocketException", cause, StringComparison.Ordinal);
        Assert.EndsWith("in SessionStoreException)", cause, StringComparison.Ordinal);
    }

    [Fact]
    public void The_innermost_exception_comes_first_and_the_outer_type_after_it()
    {
        var refused = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        var wrapped = new SessionStoreException("The Redis session store could not complete Get.", new InvalidOperationException("connect failed", refused));

        var cause = FailureCause.Describe(wrapped);

        Assert.StartsWith(refused.Message + " (ConnectionRefused) (SocketException, in SessionStoreException)", cause, StringComparison.Ordinal);
    }
}
