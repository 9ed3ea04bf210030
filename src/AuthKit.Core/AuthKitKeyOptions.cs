namespace AuthKit;

/// <summary>One HMAC key of the key ring, as configured (<c>AuthKit:Keys:0:KeyId</c>, <c>AuthKit:Keys:0:Secret</c>).</summary>
public sealed class AuthKitKeyOptions
{
    /// <summary>The key ID written beside signatures so keys can rotate (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; at most 64).</summary>
    public string KeyId { get; set; } = string.Empty;

    /// <summary>The secret, base64; at least 32 bytes once decoded.</summary>
    /// <remarks>Keep it out of source control: environment variables, user secrets or a vault.</remarks>
    public string Secret { get; set; } = string.Empty;
}
