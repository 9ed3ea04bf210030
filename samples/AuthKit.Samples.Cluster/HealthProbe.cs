namespace AuthKit.Samples.Cluster;

/// <summary>Polls an instance's <c>/healthz</c> until it answers with success.</summary>
internal static class HealthProbe
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Asks <paramref name="healthUrl"/> until it answers 2xx, each attempt bounded by <paramref name="attemptTimeout"/>; only
    /// <paramref name="cancellationToken"/> (the caller's overall start timeout) ends the wait without an answer.
    /// </summary>
    public static async Task WaitUntilHealthyAsync(HttpClient http, Uri healthUrl, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(attemptTimeout);
                try
                {
                    using var response = await http.GetAsync(healthUrl, attempt.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet, or the connection dropped: ask again.
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // This attempt took too long (a cold instance on a starved machine): ask again. Letting it escape
                    // ended the cluster's start with "not ready within <start timeout>" long before that timeout.
                }
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }
}
