using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Runs <see cref="FileSessionStore.SweepAsync"/> every <see cref="FileSessionStoreOptions.SweepInterval"/>.</summary>
internal sealed class FileSessionStoreSweeper(
    FileSessionStore store,
    IOptions<FileSessionStoreOptions> options,
    TimeProvider timeProvider,
    ILogger<FileSessionStoreSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await store.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.FileStoreSweepFailed(ex);
            }
        }
    }
}
