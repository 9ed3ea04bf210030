namespace AuthKit.Sessions.Internal;

/// <summary>
/// Turns a <c>User-Agent</c> into what a "your devices" page shows: a browser with its major version and an operating system.
/// Only a fixed vocabulary and digits come out, so nothing a client sends is stored or shown verbatim.
/// </summary>
internal static class UserAgentParser
{
    /// <summary>The metadata key of the browser (for example <c>Firefox 128</c>).</summary>
    public const string BrowserKey = "browser";

    /// <summary>The metadata key of the operating system (for example <c>Windows</c>).</summary>
    public const string OperatingSystemKey = "os";

    private const int MaxScannedLength = 1024;

    // Order matters: Chromium-based browsers also say "Chrome/" and "Safari/", Chrome on iOS says "Safari/" too.
    private static readonly (string Token, string Name)[] s_browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"), ("OPT/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Vivaldi/", "Vivaldi"),
        ("YaBrowser/", "Yandex Browser"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
        ("curl/", "curl"), ("Wget/", "Wget"),
    ];

    // iOS and iPadOS say "like Mac OS X"; Android says "Linux".
    private static readonly (string Token, string Name)[] s_systems =
    [
        ("Windows", "Windows"),
        ("iPhone", "iOS"), ("iPod", "iOS"), ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Macintosh", "macOS"), ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];

    /// <summary>Adds <see cref="BrowserKey"/> and <see cref="OperatingSystemKey"/> for what it recognises; nothing for the rest.</summary>
    public static void Describe(string? userAgent, IDictionary<string, string> metadata)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return;
        }

        var ua = userAgent.AsSpan(0, Math.Min(userAgent.Length, MaxScannedLength));
        if (Browser(ua) is { } browser)
        {
            metadata[BrowserKey] = browser;
        }

        foreach (var (token, name) in s_systems)
        {
            if (ua.Contains(token, StringComparison.Ordinal))
            {
                metadata[OperatingSystemKey] = name;
                break;
            }
        }
    }

    private static string? Browser(ReadOnlySpan<char> ua)
    {
        foreach (var (token, name) in s_browsers)
        {
            var at = ua.IndexOf(token, StringComparison.Ordinal);
            if (at < 0 || (name == "Safari" && !ua.Contains("Safari/", StringComparison.Ordinal)))
            {
                continue;
            }

            var digits = ua[(at + token.Length)..];
            var length = 0;
            while (length < digits.Length && length < 4 && char.IsAsciiDigit(digits[length]))
            {
                length++;
            }

            return length == 0 ? name : string.Concat(name, " ", digits[..length]);
        }

        return null;
    }
}
