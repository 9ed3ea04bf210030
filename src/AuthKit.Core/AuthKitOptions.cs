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
}
