namespace AuthKit.Basic.Internal;

/// <summary>Key-ring purposes of AuthKit.Basic: changing one invalidates what was derived for it, so they are not for apps to reuse.</summary>
internal static class BasicPurposes
{
    /// <summary>The purpose the verified-credential cache derives its HMAC key for.</summary>
    public const string CredentialCache = "AuthKit.Basic.CredentialCache";
}
