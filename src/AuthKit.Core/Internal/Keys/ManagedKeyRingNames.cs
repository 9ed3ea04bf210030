namespace AuthKit.Internal.Keys;

/// <summary>The names of managed rings (part of the store key: never change them).</summary>
internal static class ManagedKeyRingNames
{
    public const string Cookies = "cookies";

    public static string Jwt(string scheme) => "jwt:" + scheme;
}
