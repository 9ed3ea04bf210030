namespace AuthKit;

/// <summary>Options of <c>AddAuthKit()</c>, bound from the <c>AuthKit</c> configuration section.</summary>
public sealed class AuthKitOptions
{
    /// <summary>The name used outside a host, when none is set: <c>authkit</c>.</summary>
    internal const string FallbackApplicationName = "authkit";

    private string? _applicationName;

    /// <summary>
    /// The application's name; separates the key files, session-store keys and throttle records of apps that share a machine
    /// or a store. Defaults to the host's <c>IHostEnvironment.ApplicationName</c> (the entry assembly's name), so two apps
    /// on one Redis never share sessions unless they are given the same name; <c>authkit</c> outside a host. Every instance of
    /// one app must use the same name (they do by default: same assembly).
    /// </summary>
    public string ApplicationName
    {
        get => _applicationName ?? FallbackApplicationName;
        set => _applicationName = value;
    }

    /// <summary>Whether <see cref="ApplicationName"/> was set (by configuration, code or the host's name).</summary>
    internal bool HasApplicationName => _applicationName is not null;

    /// <summary>
    /// The HMAC keys (signed cookies, credential cache). When empty, keys are generated and persisted to <see cref="KeyFile"/>.
    /// </summary>
    public IList<AuthKitKeyOptions> Keys { get; } = new List<AuthKitKeyOptions>();

    /// <summary>The key that signs; the others still verify. Defaults to the first of <see cref="Keys"/>.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>
    /// Where generated keys are kept when <see cref="Keys"/> is empty. Defaults to
    /// <c>{LocalApplicationData}/AuthKit/{ApplicationName}/keys.json</c>. Several instances that must read each other's
    /// cookies need the same keys: configure <see cref="Keys"/> or point them all at one file.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Lets AuthKit work over plain HTTP outside development: cookies are not forced <c>Secure</c>, the session cookie drops its
    /// <c>__Host-</c> prefix. Default <see langword="false"/>.
    /// </summary>
    /// <remarks>
    /// Insecure: anyone on the network can read the cookies sent over plain HTTP and take over the sessions. Without it, plain
    /// HTTP is relaxed only in the <c>Development</c> environment and only for a loopback client (the TCP peer, never the
    /// <c>Host</c> header; a request without a remote address is never local). Behind a proxy that terminates TLS, use the
    /// framework's forwarded-headers middleware instead, so the request is seen as HTTPS.
    /// </remarks>
    public bool AllowInsecureHttp { get; set; }
}
