using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace AuthKit.Samples.Cluster;

/// <summary>
/// What the balancer does when an instance dies (killed, crashed): a request whose instance refuses the connection has not
/// reached any app yet, so it is sent to another instance, and the dead one is taken out of the rotation at once (the active
/// <c>/healthz</c> checks put it back once it answers again). A request that was already with the instance when it died
/// is answered 503 with <c>Retry-After</c> (its effect is unknown: the client may retry), naming the lost instance in
/// <c>X-AuthKit-Instance</c>; never a 502.
/// </summary>
internal static class InstanceFailover
{
    /// <summary>How long a destination that refused a connection stays out of the rotation before it is tried again.</summary>
    private static readonly TimeSpan Reactivation = TimeSpan.FromSeconds(10);

    public static void UseInstanceFailover(this IReverseProxyApplicationBuilder proxy)
    {
        var health = proxy.ApplicationServices.GetRequiredService<IDestinationHealthUpdater>();
        proxy.Use(async (context, next) =>
        {
            var feature = context.GetReverseProxyFeature();
            var tried = new List<DestinationState>();
            while (true)
            {
                await next();
                var error = context.Features.Get<IForwarderErrorFeature>();
                if (error is null || context.Response.HasStarted)
                {
                    return;
                }

                var lost = feature.ProxiedDestination;
                if (lost is not null)
                {
                    tried.Add(lost);
                }

                if (IsConnectionRefused(error) && lost is not null)
                {
                    health.SetPassive(context.GetRouteModel().Cluster!, lost, DestinationHealth.Unhealthy, Reactivation);
                    var others = feature.AllDestinations
                        .Where(d => !tried.Contains(d) && d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy)
                        .ToList();
                    if (others.Count > 0)
                    {
                        // Nothing was sent to the dead instance (no connection): the request, body included, goes elsewhere.
                        context.Features.Set<IForwarderErrorFeature>(null);
                        context.Response.Clear();
                        feature.AvailableDestinations = [others[Random.Shared.Next(others.Count)]];
                        continue;
                    }
                }

                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                context.Response.Headers.CacheControl = "no-store";
                if (lost is not null)
                {
                    context.Response.Headers["X-AuthKit-Instance"] = lost.DestinationId;
                }

                return;
            }
        });
    }

    private static bool IsConnectionRefused(IForwarderErrorFeature error) =>
        error.Error == ForwarderError.Request
        && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}
