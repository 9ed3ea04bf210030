using System.Net;
using System.Net.Http.Json;

namespace AuthKit.IntegrationTests;

/// <summary>
/// The WebApp sample's own sign-in paths, the login form and <c>POST /api/token</c>, go through the credential throttle, and two
/// instances sharing a store (here the file store on one data folder) throttle together.
/// </summary>
public sealed class SampleThrottlingTests
{
    [Fact]
    public async Task Form_login_and_the_token_endpoint_are_throttled_across_two_instances_sharing_a_store()
    {
        var data = Path.Combine(Path.GetTempPath(), $"authkit-throttle-{Guid.NewGuid():N}");
        try
        {
            await using var a = await WebAppProcess.StartAsync("file", data, instanceName: "A");
            await using var b = await WebAppProcess.StartAsync("file", data, instanceName: "B");
            using var onA = new SampleClient(a.Url);
            using var onB = new SampleClient(b.Url);

            // The login form: 10 wrong passwords for bob (the default budget), half on each instance...
            for (var i = 0; i < 10; i++)
            {
                using var wrong = await (i % 2 == 0 ? onA : onB).SignInAsync("bob", "guess" + i);
                Assert.True(wrong.StatusCode == HttpStatusCode.BadRequest, $"attempt {i + 1}: {(int)wrong.StatusCode}\n{a.Output}\n{b.Output}");
            }

            // ...and both instances answer 429 with Retry-After, the right password included.
            foreach (var client in new[] { onA, onB })
            {
                using var throttled = await client.SignInAsync("bob", "bob-password");
                Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
                Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
                Assert.Null(client.SessionCookie);
            }

            // The token endpoint: the same budget rules for alice, counted across both instances.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            for (var i = 0; i < 10; i++)
            {
                using var wrong = await http.PostAsJsonAsync(new Uri(i % 2 == 0 ? a.Url : b.Url, "/api/token"), new { username = "alice", password = "guess" + i });
                Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            }

            foreach (var url in new[] { a.Url, b.Url })
            {
                using var throttled = await http.PostAsJsonAsync(new Uri(url, "/api/token"), new { username = "alice", password = "alice-password" });
                Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
                Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
                Assert.DoesNotContain("access_token", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // Another user from the same client is not affected.
            using var carol = await http.PostAsJsonAsync(new Uri(b.Url, "/api/token"), new { username = "admin", password = "admin-password" });
            Assert.Equal(HttpStatusCode.OK, carol.StatusCode);
        }
        finally
        {
            ClusterProcess.TryDelete(data);
        }
    }
}
