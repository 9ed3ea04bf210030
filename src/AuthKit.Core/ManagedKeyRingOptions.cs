namespace AuthKit;

/// <summary>
/// The managed key ring (<c>AuthKit:ManagedKeys</c>): AuthKit creates, shares and rotates the keys itself, in the app's
/// <see cref="ISessionStore"/>, so every instance that shares the store signs and verifies with the same keys.
/// </summary>
/// <remarks>
/// <para>A key is created <see cref="PropagationDelay"/> before it signs (announced: it already verifies, and a JWT public key is
/// already in the JWKS), signs for <see cref="KeyLifetime"/>, then only verifies for <see cref="RetainAfterActive"/> (raised
/// automatically to the longest lifetime of anything it signed: sessions, refresh tokens, access tokens), then is deleted.</para>
/// <para>Turn it on with <c>UseManagedKeys()</c> or <c>AuthKit:ManagedKeys:Enabled = true</c>. Instances must share the store
/// and the <see cref="KeyEncryptionKey"/>, and their clocks must agree within a fraction of <see cref="PropagationDelay"/>.</para>
/// </remarks>
public sealed class ManagedKeyRingOptions
{
    /// <summary>Whether the keys are managed (default <see langword="false"/>: configured keys or the key file).</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a key signs before its successor takes over. Default 90 days.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long a new key is announced (verifying only, published in the JWKS) before any instance signs with it. Default 1 hour;
    /// it must exceed <see cref="RefreshInterval"/> so every instance has read the key before it is used, and it is the JWKS
    /// cache lifetime's upper bound.
    /// </summary>
    public TimeSpan PropagationDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each instance reads the ring from the store (and creates the next key when it is due). Default 5 minutes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a key keeps verifying after it stopped signing. Default 1 day; each package raises it to the longest lifetime of
    /// what it signs (a session's absolute timeout, a refresh-token family, an access token), so nothing valid is orphaned.
    /// </summary>
    public TimeSpan RetainAfterActive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A key-encryption key (base64, 32 bytes): when set, key secrets are encrypted at rest in the store (AES-256-GCM). Every
    /// instance needs the same value; keep it in a secret store. Without it, secrets are stored as they are: protect the store.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }
}
