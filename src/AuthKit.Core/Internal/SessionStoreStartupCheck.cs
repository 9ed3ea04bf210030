using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthKit.Internal;

/// <summary>
/// At start-up, reads one (absent) record from a store shared across processes (file, Redis, distributed cache), so a
/// store that does not answer is a warning naming its setting before the first user meets a 503, not a silent start. It
/// waits at most <see cref="Timeout"/> and never stops the host: the store may come up later, and requests recover then.
/// </summary>
internal sealed class SessionStoreStartupCheck(IServiceProvider services, ILoggerFactory loggerFactory) : IHostedService
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggerFactory.CreateLogger("AuthKit.SessionStore");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ISessionStore store;
        try
        {
            store = (ISessionStore)services.GetService(typeof(ISessionStore))!;
            if (store is null || (store.Capabilities & StoreCapabilities.SharedAcrossProcesses) == 0)
            {
                return;
            }
        }
        catch (Exception)
        {
            // A store that cannot even be created fails the first request with a clearer error than this check could give.
            return;
        }

        var name = store.GetType().Name;
        var setting = (store as ISessionStoreSetting)?.ConnectionSetting ?? "the store's registration";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var probe = SessionKey.FromSessionId(SessionIds.Create());
            await store.GetAsync(probe, cancellationToken).AsTask().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            _logger.StoreAnsweredAtStart(name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException)
        {
            _logger.StoreDidNotAnswerAtStart(name, $"no answer within {Timeout.TotalSeconds:0} s", setting, null);
        }
        catch (Exception ex)
        {
            _logger.StoreDidNotAnswerAtStart(name, FailureCause.Describe(ex), setting, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
