using System.Net;
using System.Text.Json;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>"Your devices": each session records the browser and OS it was signed in from, when, and when it was last seen.</summary>
public sealed class DeviceMetadataTests
{
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string IPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task Sign_in_records_the_device_and_the_manager_lists_it_with_sign_in_time_and_last_seen()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapGet("/devices", (HttpContext c, ISessionManager m) => m.ListSessionsAsync(c)).RequireAuthorization());
        using var client = app.Client();
        var laptop = await LoginAsync(client, "alice", userAgent: Firefox);
        app.Time.Advance(TimeSpan.FromMinutes(3));
        var phone = await LoginAsync(client, "alice", userAgent: IPhoneSafari);
        app.Time.Advance(TimeSpan.FromMinutes(2));
        (await GetAsync(client, "/me", laptop)).Dispose(); // the laptop is seen again

        using var response = await GetAsync(client, "/devices", phone);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var sessions = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var onLaptop = sessions[0];
        var onPhone = sessions[1];
        Assert.Equal("Firefox 128 on Windows", onLaptop.GetProperty("device").GetString());
        Assert.Equal("Firefox 128", onLaptop.GetProperty("browser").GetString());
        Assert.Equal("Windows", onLaptop.GetProperty("operatingSystem").GetString());
        Assert.Equal(TestApp.Start, onLaptop.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(TestApp.Start.AddMinutes(5), onLaptop.GetProperty("lastSeenAt").GetDateTimeOffset());
        Assert.False(onLaptop.GetProperty("isCurrent").GetBoolean());
        Assert.Equal("Safari 17 on iOS", onPhone.GetProperty("device").GetString());
        Assert.Equal(TestApp.Start.AddMinutes(3), onPhone.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(onPhone.GetProperty("isCurrent").GetBoolean());

        var record = (await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken))).Single(r => r.Metadata["browser"] == "Firefox 128");
        Assert.Equal("Windows", record.Metadata["os"]);
        Assert.DoesNotContain(record.Metadata.Values, v => v.Contains("Mozilla", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnSigningIn_can_add_or_remove_session_metadata()
    {
        await using var app = await TestApp.StartAsync(o => o.Events.OnSigningIn = c =>
        {
            c.Metadata.Remove("os");
            c.Metadata["sign-in-method"] = "password";
            return Task.CompletedTask;
        });
        using var client = app.Client();

        await LoginAsync(client, "alice", userAgent: Firefox);

        var info = Assert.Single(await app.App.Services.GetRequiredService<ISessionManager>().ListSessionsAsync("alice", TestContext.Current.CancellationToken));
        Assert.Equal("password", info.Metadata["sign-in-method"]);
        Assert.Null(info.OperatingSystem);
        Assert.Equal("Firefox 128", info.Device);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome 126", "Windows")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87", "Edge 126", "Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari 17", "macOS")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet 25", "Android")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome 126", "iPadOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox 127", "Linux")]
    [InlineData("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome 126", "ChromeOS")]
    [InlineData("curl/8.5.0", "curl 8", null)]
    [InlineData("<script>alert(1)</script>", null, null)]
    [InlineData("", null, null)]
    public void The_user_agent_becomes_a_browser_and_an_os_from_a_fixed_vocabulary(string userAgent, string? browser, string? os)
    {
        var metadata = new Dictionary<string, string>();

        UserAgentParser.Describe(userAgent, metadata);

        Assert.Equal(browser, metadata.GetValueOrDefault(UserAgentParser.BrowserKey));
        Assert.Equal(os, metadata.GetValueOrDefault(UserAgentParser.OperatingSystemKey));
    }

    [Fact]
    public void A_huge_user_agent_is_read_only_in_its_first_kilobyte_and_versions_stay_short()
    {
        var metadata = new Dictionary<string, string>();

        UserAgentParser.Describe(new string('a', 100_000) + " Firefox/128.0 (Windows)", metadata);
        Assert.Empty(metadata);

        UserAgentParser.Describe("Firefox/12345678901234567890", metadata);
        Assert.Equal("Firefox 1234", metadata[UserAgentParser.BrowserKey]);
    }
}
