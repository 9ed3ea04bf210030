using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>
/// What a host app needs around sessions: sign a user in and out, list a user's sessions ("your devices"), revoke one or all.
/// Registered by <c>AddSessions()</c> as a singleton.
/// </summary>
/// <remarks>
/// <para>Store failures surface as <see cref="SessionStoreException"/> (inside a request handled by <c>UseAuthKit()</c> they become
/// 503). Listing shows only browser sessions (<see cref="SessionRecordKind.Session"/>), never refresh tokens kept in the same store.
/// The <see cref="CancellationToken"/> of each call (for the request's methods, <see cref="HttpContext.RequestAborted"/>) reaches
/// the store, together with <c>AuthKit:Sessions:StoreTimeout</c>.</para>
/// <para>The request's methods speak for <c>HttpContext.User</c>: the current session is the request's only when it belongs to
/// that user (a request authenticated by Basic or Bearer as someone else has no current session).</para>
/// <para>Evolution: this interface may be implemented by apps (a decorator, a test double). It grows only by default interface
/// members whose default is correct for every existing implementation; a member that cannot have one comes as a new interface.</para>
/// </remarks>
public interface ISessionManager
{
    /// <summary>
    /// Signs <paramref name="principal"/> in with the session scheme: a new session ID (the old one, if any, is dead at once), the
    /// cookie written. The data bag is kept only when the same user signs in again (or, with
    /// <see cref="SessionAuthenticationOptions.KeepAnonymousDataOnSignIn"/>, from an anonymous session). The same as
    /// <c>HttpContext.SignInAsync(scheme, ...)</c> with the session scheme's name.
    /// </summary>
    /// <remarks>The principal needs a user ID: a claim of <see cref="SessionAuthenticationOptions.UserIdClaimType"/> or a name.</remarks>
    Task SignInAsync(HttpContext context, ClaimsPrincipal principal, AuthenticationProperties? properties = null);

    /// <summary>Signs the current session out: removes it from the store and expires the cookie.</summary>
    Task SignOutAsync(HttpContext context, AuthenticationProperties? properties = null);

    /// <summary>The handle of the request's session (see <see cref="SessionInfo.SessionHandle"/>), or <see langword="null"/> when it has none that belongs to <c>HttpContext.User</c>.</summary>
    string? GetCurrentSessionHandle(HttpContext context);

    /// <summary>The user ID the session scheme files <paramref name="principal"/> under, or <see langword="null"/>.</summary>
    string? GetUserId(ClaimsPrincipal principal);

    /// <summary>
    /// Lists the live sessions of the request's user (<c>HttpContext.User</c>), most recently seen first, marking the current one.
    /// The request's <see cref="HttpContext.RequestAborted"/> cancels the store call.
    /// </summary>
    /// <returns>An empty list for an anonymous request.</returns>
    Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(HttpContext context);

    /// <summary>Lists the live sessions of a user, most recently seen first (admin pages).</summary>
    Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes one session of the request's user (<c>HttpContext.User</c>) by handle. A handle of another user's session is refused.
    /// Revoking the current session also expires the request's cookie. The request's <see cref="HttpContext.RequestAborted"/>
    /// cancels the store calls.
    /// </summary>
    /// <returns><see langword="true"/> when a session of this user was removed.</returns>
    Task<bool> RevokeSessionAsync(HttpContext context, string sessionHandle);

    /// <summary>Revokes one session of <paramref name="userId"/> by handle; a handle of another user's session is refused.</summary>
    /// <returns><see langword="true"/> when a session of this user was removed.</returns>
    Task<bool> RevokeSessionAsync(string userId, string sessionHandle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs a user out everywhere ("sign out everywhere", a password change): removes every record of the user in the store —
    /// sessions, and the refresh-token families kept in the same store.
    /// </summary>
    /// <returns>The number of records removed.</returns>
    Task<int> RevokeAllSessionsAsync(string userId, CancellationToken cancellationToken = default);
}
