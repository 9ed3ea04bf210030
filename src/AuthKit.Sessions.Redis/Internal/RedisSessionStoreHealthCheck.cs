using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthKit.Sessions.Redis.Internal;

/// <summary>Reports whether the Redis session store's connection answers a PING within the operation timeout.</summary>
internal sealed class RedisSessionStoreHealthCheck(RedisSessionStore store) : IHealthCheck
{
    public const string Name = "authkit-redis";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The Redis session store cannot reach Redis.", ex);
        }
    }
}

/// <summary>Adds the Redis health check to the application's health checks, if it uses any.</summary>
internal sealed class RedisSessionStoreHealthCheckSetup : Microsoft.Extensions.Options.IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        if (options.Registrations.Any(r => r.Name == RedisSessionStoreHealthCheck.Name))
        {
            return;
        }

        options.Registrations.Add(new HealthCheckRegistration(
            RedisSessionStoreHealthCheck.Name,
            sp => new RedisSessionStoreHealthCheck(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RedisSessionStore>(sp)),
            failureStatus: null,
            tags: ["authkit", "redis", "ready"]));
    }
}
