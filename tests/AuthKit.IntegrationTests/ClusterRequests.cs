using System.Net;

namespace AuthKit.IntegrationTests;

/// <summary>Drives requests through the round-robin balancer until every instance has answered.</summary>
public static class ClusterRequests
{
    /// <summary>
    /// Sends GET <paramref name="path"/> (built fresh each time by <paramref name="send"/>) until each of the cluster's instances has answered
    /// at least once; returns every response with the instance that served it. Bounded: at most four rounds of the instances.
    /// </summary>
    public static async Task<List<(string Instance, HttpStatusCode Status, string? Location, string Body)>> OnEveryInstanceAsync(
        ClusterProcess cluster,
        Func<Task<HttpResponseMessage>> send)
    {
        var expected = cluster.Instances.Keys.ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(expected);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<(string, HttpStatusCode, string?, string)>();
        for (var i = 0; i < expected.Count * 4 && !seen.SetEquals(expected); i++)
        {
            using var response = await send();
            var instance = SampleClient.Instance(response);
            Assert.False(instance is null, $"Every response carries X-AuthKit-Instance. {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{cluster.Output}");
            seen.Add(instance);
            results.Add((instance, response.StatusCode, response.Headers.Location?.OriginalString, await response.Content.ReadAsStringAsync()));
        }

        Assert.True(seen.SetEquals(expected), $"Round robin should reach every instance; reached {string.Join(", ", seen)} of {string.Join(", ", expected)}.");
        return results;
    }

    /// <summary>A GET that carries exactly the given <c>Cookie</c> header (a replayed cookie), through a client without a cookie jar.</summary>
    public static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient bare, Uri baseAddress, string path, string cookieHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        request.Headers.Add("Cookie", cookieHeader);
        return await bare.SendAsync(request);
    }

    public static HttpClient BareClient() => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
}
