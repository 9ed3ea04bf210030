using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests;

public sealed class BearerMetricsTests
{
    [Fact]
    public async Task Bearer_requests_count_one_attempt_each_on_the_application_meter()
    {
        await using var host = await JwtTestHost.StartAsync();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var attempts = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: other tests report on their own.
            if (instrument.Name == "authkit.authentication.attempts" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => x.Value?.ToString());
            lock (attempts)
            {
                attempts.Add(t.GetValueOrDefault("authkit.scheme") + ":" + t.GetValueOrDefault("authkit.result") + ":" + value);
            }
        });
        listener.Start();

        var token = await host.IssueAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/bearer", ("Authorization", "Bearer " + token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/bearer", ("Authorization", "Bearer x.y.z"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/bearer")).StatusCode);

        lock (attempts)
        {
            Assert.Equal(1, attempts.Count(a => a.EndsWith(":success:1", StringComparison.Ordinal)));
            Assert.Equal(1, attempts.Count(a => a.EndsWith(":failure:1", StringComparison.Ordinal)));
            Assert.Contains(attempts, a => a.EndsWith(":none:1", StringComparison.Ordinal));
            Assert.All(attempts, a => Assert.StartsWith(JwtAuthenticationDefaults.AuthenticationScheme + ":", a, StringComparison.Ordinal));
        }
    }
}
