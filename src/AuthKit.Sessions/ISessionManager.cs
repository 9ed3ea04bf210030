using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions;

/// <summary>
/// What a host app needs around sessions: sign a user in and out, list a user's sessions ("your devices"), revoke one or all.
/// Registered by <c>AddSessions()</c> as a singleton.
/// </summary>
/// <remarks>
/// Store failures surface as <see cref="SessionStoreException"/> (inside a request handled by <c>UseAuthKit()</c> they become
/// 503). Listing shows only browser sessions (<see cref="SessionRecordKind.Session"/>), never refresh tokens kept in the same store.
/// </remarks>
public interface ISessionManager
{
    /// <summary>
    /// Signs <paramref name="principal"/> in with the session scheme: a new session ID (the old one, if any, is dead at once),
    /// the data bag kept, the cookie written. The same as <c>HttpContext.SignInAsync(SessionAuthenticationDefaults.AuthenticationScheme, ...)</c>.
    /// </summary>
    /// <remarks>The principal needs a user ID: a claim of <see cref="SessionAuthenticationOptions.UserIdClaimType"/> or a name.</remarks>
    Task SignInAsync(HttpContext context, ClaimsPrincipal principal, AuthenticationProperties? properties = null);

    /// <summary>Signs the current session out: removes it from the store and expires the cookie.</summary>
    Task SignOutAsync(HttpContext context, AuthenticationProperties? properties = null);

    /// <summary>The handle of the request's session, or <see langword="null"/> when it has none.</summary>
    string? GetCurrentHandle(HttpContext context);

    /// <summary>The user ID the session scheme files <paramref name="principal"/> under, or <see langword="null"/>.</summary>
    string? GetUserId(ClaimsPrincipal principal);

    /// <summary>Lists the live sessions of the request's signed-in user, newest activity first, marking the current one.</summary>
    /// <returns>An empty list for an anonymous request.</returns>
    Task<IReadOnlyList<SessionInfo>> ListAsync(HttpContext context, CancellationToken cancellationToken = default);

    /// <summary>Lists the live sessions of a user, newest activity first.</summary>
    Task<IReadOnlyList<SessionInfo>> ListByUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes one session of the request's signed-in user by handle. A handle of another user's session is refused.
    /// Revoking the current session also expires the request's cookie.
    /// </summary>
    /// <returns><see langword="true"/> when a session of this user was removed.</returns>
    Task<bool> RevokeAsync(HttpContext context, string handle, CancellationToken cancellationToken = default);

    /// <summary>Revokes one session of <paramref name="userId"/> by handle; a handle of another user's session is refused.</summary>
    Task<bool> RevokeByUserAsync(string userId, string handle, CancellationToken cancellationToken = default);

    /// <summary>Signs a user out everywhere: removes every record of the user (sessions and refresh tokens).</summary>
    /// <returns>The number of records removed.</returns>
    Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken = default);
}
