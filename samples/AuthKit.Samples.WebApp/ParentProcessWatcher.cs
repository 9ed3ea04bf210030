using System.Diagnostics;

namespace AuthKit.Samples;

/// <summary>
/// Stops the host when the process that launched it has gone, even if that process was killed outright and had no chance
/// to stop its children (the cluster launcher passes its PID as <c>--parent-pid</c> / <c>AuthKitSample:ParentProcessId</c>).
/// </summary>
internal sealed class ParentProcessWatcher(int parentProcessId, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Remember the parent's start time, so a recycled PID does not pass for the parent.
        var startedAt = TryGetStartTime(parentProcessId);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (startedAt is null || TryGetStartTime(parentProcessId) != startedAt)
                {
                    logger.LogWarning("The parent process {ProcessId} has exited; stopping.", parentProcessId);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static DateTime? TryGetStartTime(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
