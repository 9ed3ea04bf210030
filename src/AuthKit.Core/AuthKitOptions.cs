namespace AuthKit;

/// <summary>Options of <c>AddAuthKit()</c>, bound from the <c>AuthKit</c> configuration section.</summary>
public sealed class AuthKitOptions
{
    private string _applicationName = "authkit";

    /// <summary>The application's name; separates the key files and cache keys of apps that share a machine or a store.</summary>
    public string ApplicationName
    {
        get => _applicationName;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _applicationName = value;
        }
    }

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
