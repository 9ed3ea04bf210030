using AuthKit.Sessions;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Samples;

/// <summary>
/// Which browser and operating system each session signed in from ("Chrome on Linux"), so that a user can tell on
/// <c>/sessions</c> which session to revoke. Kept in the session's own data bag at sign-in; nothing secret.
/// </summary>
internal static class SessionDevices
{
    private const string DeviceKey = "sample.device";
    private const string Unknown = "Unknown device";

    /// <summary>The session scheme's <c>OnSignedIn</c> event: records the device on the new session.</summary>
    public static Task RecordAsync(SessionSignedInContext context)
    {
        context.HttpContext.Session.SetString(DeviceKey, Describe(context.HttpContext.Request.Headers[HeaderNames.UserAgent]));
        return Task.CompletedTask;
    }

    /// <summary>The device of each live session of the request's user, by session handle.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> FindAsync(HttpContext context, ISessionManager sessions, ISessionStore store)
    {
        var devices = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sessions.GetUserId(context.User) is not { } userId)
        {
            return devices;
        }

        await foreach (var record in store.ListByUserAsync(userId, context.RequestAborted))
        {
            if (record.Data.TryGetValue(DeviceKey, out var device))
            {
                devices[record.Key.ToString()] = System.Text.Encoding.UTF8.GetString(device);
            }
        }

        return devices;
    }

    /// <summary>The device of one session: what <see cref="FindAsync"/> found, else "Unknown device" (sessions from before the sample recorded it).</summary>
    public static string Of(SessionInfo session, IReadOnlyDictionary<string, string> devices) =>
        devices.TryGetValue(session.Handle, out var device) ? device : Unknown;

    /// <summary>"Browser on OS" from a User-Agent header: the common browsers and systems, no version numbers.</summary>
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Unknown;
        }

        var browser = userAgent switch
        {
            _ when Has(userAgent, "Edg/") => "Edge",
            _ when Has(userAgent, "OPR/") => "Opera",
            _ when Has(userAgent, "Firefox/") => "Firefox",
            _ when Has(userAgent, "HeadlessChrome/") => "Chrome (headless)",
            _ when Has(userAgent, "Chrome/") || Has(userAgent, "CriOS/") => "Chrome",
            _ when Has(userAgent, "Safari/") => "Safari",
            _ when Has(userAgent, "curl/") => "curl",
            _ => "Unknown browser",
        };
        var system = userAgent switch
        {
            _ when Has(userAgent, "Android") => "Android",
            _ when Has(userAgent, "iPhone") || Has(userAgent, "iPad") => "iOS",
            _ when Has(userAgent, "Windows") => "Windows",
            _ when Has(userAgent, "Mac OS X") || Has(userAgent, "Macintosh") => "macOS",
            _ when Has(userAgent, "CrOS") => "ChromeOS",
            _ when Has(userAgent, "Linux") => "Linux",
            _ => null,
        };
        return system is null ? browser : $"{browser} on {system}";
    }

    private static bool Has(string userAgent, string token) => userAgent.Contains(token, StringComparison.Ordinal);
}
