using System.Security.Claims;

namespace AuthKit.Basic;

/// <summary>
/// Decides whether a user name and password are good. Resolved from DI for each request that needs it (it may be scoped and use
/// scoped services such as a <c>DbContext</c>).
/// </summary>
/// <remarks>
/// The handler calls it only on a cache miss and only when the user and the client are not throttled, so a slow password hash
/// (PBKDF2, bcrypt, Argon2) is paid once per cache lifetime rather than on every request. Compare secrets in constant time, and
/// spend the same time on an unknown user as on a wrong password (see <see cref="BasicUserTableValidator"/>).
/// </remarks>
public interface IBasicCredentialValidator
{
    /// <summary>Checks the credentials.</summary>
    /// <param name="userName">The user-id exactly as the client sent it (decoded, never normalized).</param>
    /// <param name="password">The password exactly as the client sent it. Never log or store it.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted.</param>
    /// <returns>The authenticated principal, or <see langword="null"/> when the credentials are wrong or the user is unknown.</returns>
    ValueTask<ClaimsPrincipal?> ValidateAsync(string userName, string password, CancellationToken cancellationToken);
}
