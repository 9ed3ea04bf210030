using System.Security.Claims;

namespace AuthKit.Basic;

/// <summary>Decides whether a Basic user name and password are good. Registered scoped by <c>AddBasic&lt;TValidator&gt;()</c>.</summary>
/// <remarks>
/// The handler calls it only on a verified-cache miss and only once the <see cref="ICredentialThrottle"/> has reserved an attempt,
/// so a slow password hash (PBKDF2, bcrypt, Argon2) is paid once per cache lifetime and never more often than the throttle
/// allows. Compare secrets in constant time, and spend the same time on an unknown user as on a wrong password (see
/// <see cref="BasicUserTableValidator"/>). This interface grows only by default interface members; the context grows instead.
/// </remarks>
public interface IBasicCredentialValidator
{
    /// <summary>Checks the credentials.</summary>
    /// <param name="context">The request, the scheme, and the user name and password exactly as the client sent them.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted.</param>
    /// <returns>The authenticated principal, or <see langword="null"/> when the credentials are wrong or the user is unknown.</returns>
    ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken);
}
