namespace AuthKit;

/// <summary>
/// Which scheme the <see cref="AuthKitDefaults.AuthenticationScheme"/> policy scheme forwards to. The AuthKit packages fill it in as they are added.
/// </summary>
/// <remarks>
/// <para>Per request: <c>Authorization: Bearer</c> → <see cref="BearerScheme"/>; <c>Authorization: Basic</c> →
/// <see cref="BasicScheme"/> when no <see cref="DefaultScheme"/> is set, or when the endpoint asks for the Basic scheme
/// (<c>[Authorize(AuthenticationSchemes = "Basic")]</c>, <c>RequireAuthorization(p => p.AddAuthenticationSchemes("Basic"))</c>,
/// or a named policy listing it); everything else → <see cref="DefaultScheme"/>. Browsers repeat Basic credentials on every
/// request once a prompt was answered, so with a session scheme Basic never takes over pages that did not ask for it.</para>
/// <para>Sign-in and sign-out always go to <see cref="DefaultScheme"/>; without one they fail with a message naming the package
/// to add.</para>
/// </remarks>
public sealed class AuthKitForwardingOptions
{
    /// <summary>The scheme for requests with <c>Authorization: Bearer</c> (set by <c>AddJwt()</c>).</summary>
    public string? BearerScheme { get; set; }

    /// <summary>
    /// The scheme for requests with <c>Authorization: Basic</c> (set by <c>AddBasic()</c>): on every endpoint when
    /// <see cref="DefaultScheme"/> is not set, otherwise only on endpoints whose authorization names it.
    /// </summary>
    public string? BasicScheme { get; set; }

    /// <summary>
    /// The scheme for everything else, and for sign-in and sign-out (set by <c>AddSessions()</c>). When it is not set, requests
    /// without an <c>Authorization</c> header go to the Basic scheme, else the Bearer scheme, so a Basic-only or Bearer-only app
    /// still answers with its own <c>WWW-Authenticate</c> challenge.
    /// </summary>
    public string? DefaultScheme { get; set; }

    /// <summary>Set by AuthKit.Sessions: <c>HttpContext.Session</c> is AuthKit's (otherwise <c>UseAuthKit()</c> explains what to add).</summary>
    internal bool SessionsRegistered { get; set; }
}
