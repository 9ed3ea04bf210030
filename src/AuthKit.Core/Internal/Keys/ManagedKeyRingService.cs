using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthKit.Internal.Keys;

/// <summary>
/// Reads the managed rings before the app serves (a ring that cannot be used, e.g. encrypted under another key-encryption key,
/// stops the start with the setting to fix), then refreshes them every <see cref="ManagedKeyRingOptions.RefreshInterval"/> and at
/// each scheduled key event, creating the next key when it is due.
/// </summary>
internal sealed class ManagedKeyRingService(ManagedKeyRegistry registry, TimeProvider time, ILoggerFactory loggerFactory) : BackgroundService
{
    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private readonly ILogger _logger = loggerFactory.CreateLogger("AuthKit.ManagedKeys");
    private readonly LogGate _gate = new();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!registry.Enabled)
        {
            return;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StartBudget);
        foreach (var set in registry.Sets)
        {
            await RefreshAsync(set, budget.Token, cancellationToken, throwOnConfiguration: true).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var wait = TimeSpan.MaxValue;
            foreach (var set in registry.Sets)
            {
                var next = set.TryGetSnapshot() is null ? now + Retry : now + set.Timings.RefreshInterval;
                if (set.NextEvent(now) is { } at && at < next)
                {
                    next = at;
                }

                var delay = next - now;
                if (delay < wait)
                {
                    wait = delay;
                }
            }

            if (wait == TimeSpan.MaxValue)
            {
                return;
            }

            try
            {
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var set in registry.Sets)
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                budget.CancelAfter(StartBudget);
                await RefreshAsync(set, budget.Token, stoppingToken, throwOnConfiguration: false).ConfigureAwait(false);
            }
        }
    }

    private async Task RefreshAsync(ManagedKeySet set, CancellationToken cancellationToken, CancellationToken outer, bool throwOnConfiguration)
    {
        try
        {
            await set.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (throwOnConfiguration)
        {
            throw;
        }
        catch (InvalidOperationException ex)
        {
            // Logged by the set when it first meets the problem; the last good keys stay in force.
            if (_gate.TryPass(time.GetUtcNow(), TimeSpan.FromMinutes(1), out _))
            {
                _logger.ManagedKeyRingUnreadable(set.Name, ex.Message);
            }
        }
        catch (Exception ex) when (ex is SessionStoreException or OperationCanceledException or TimeoutException)
        {
            if (outer.IsCancellationRequested)
            {
                return;
            }

            if (_gate.TryPass(time.GetUtcNow(), TimeSpan.FromSeconds(10), out _))
            {
                _logger.ManagedKeyRingUnavailable(set.Name, FailureCause.Describe(ex));
            }
        }
    }
}
