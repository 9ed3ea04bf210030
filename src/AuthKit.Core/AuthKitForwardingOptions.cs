namespace AuthKit;

/// <summary>
/// Which scheme the <see cref="AuthKitDefaults.AuthenticationScheme"/> policy scheme forwards to. The AuthKit packages fill it in as they are added.
/// </summary>
public sealed class AuthKitForwardingOptions
{
    /// <summary>The scheme for requests with <c>Authorization: Bearer</c> (set by <c>AddJwt()</c>).</summary>
    public string? BearerScheme { get; set; }

    /// <summary>The scheme for requests with <c>Authorization: Basic</c> (set by <c>AddBasic()</c>).</summary>
    public string? BasicScheme { get; set; }

    /// <summary>
    /// The scheme for everything else, and for sign-in and sign-out (set by <c>AddSessions()</c>). When it is not set, requests
    /// without an <c>Authorization</c> header go to the Basic scheme, else the Bearer scheme, so a Basic-only or Bearer-only app
    /// still answers with its own <c>WWW-Authenticate</c> challenge.
    /// </summary>
    public string? DefaultScheme { get; set; }
}
