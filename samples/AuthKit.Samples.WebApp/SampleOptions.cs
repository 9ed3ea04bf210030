namespace AuthKit.Samples;

/// <summary>The sample's own settings, bound from the <c>AuthKitSample</c> configuration section.</summary>
internal sealed class SampleOptions
{
    public const string Section = "AuthKitSample";

    /// <summary>Shown on every page and in the <c>X-AuthKit-Instance</c> header (the cluster names its instances A, B, C).</summary>
    public string InstanceName { get; set; } = "local";

    /// <summary><c>memory</c>, <c>file</c> (the default: sessions survive a restart) or <c>redis</c>.</summary>
    public string Store { get; set; } = "file";

    /// <summary>The Redis connection string for <c>Store = redis</c>.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Where the file store and the antiforgery keys live; <c>App_Data</c> under the content root by default.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>When set, the app stops once that process has gone (the cluster launcher sets it).</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>When true, <c>GET /diagnostics/memory</c> reports the process's memory to loopback clients (see DiagnosticsEndpoints).</summary>
    public bool Diagnostics { get; set; }

    /// <summary>The demo users: user name → user.</summary>
    public Dictionary<string, DemoUser> Users { get; } = new(StringComparer.Ordinal);
}

/// <summary>A demo user from configuration.</summary>
internal sealed class DemoUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>A PBKDF2 hash made by <see cref="Pbkdf2PasswordHasher"/> (600,000 iterations).</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>The demo password, printed in the start-up log so a visitor can sign in. Never do this with real users.</summary>
    public string? DemoPassword { get; set; }

    public List<string> Roles { get; } = [];
}
