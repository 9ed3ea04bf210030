using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Sessions.File.Internal;

/// <summary>Runs <see cref="FileSessionStore.SweepAsync"/> every <see cref="FileSessionStoreOptions.SweepInterval"/>.</summary>
/// <remarks>Does nothing when another <c>Use…SessionStore()</c> call replaced the file store after it was registered.</remarks>
internal sealed class FileSessionStoreSweeper(
    ISessionStore store,
    IOptions<FileSessionStoreOptions> options,
    TimeProvider timeProvider,
    ILogger<FileSessionStoreSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not FileSessionStore fileStore)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await fileStore.SweepAsync(stoppingToken).ConfigureAwait(false);
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
