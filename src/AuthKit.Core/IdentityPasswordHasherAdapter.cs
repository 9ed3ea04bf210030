using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit;

/// <summary>
/// Lets ASP.NET Core Identity hash and verify passwords with the app's <see cref="IAuthKitPasswordHasher"/>, so one hash format
/// serves Identity's sign-in, AuthKit.Basic and your own form login or token endpoint.
/// </summary>
/// <typeparam name="TUser">Identity's user type (not used: the hash does not depend on the user).</typeparam>
/// <remarks>
/// <para>Register it in place of Identity's hasher:</para>
/// <code>
/// services.AddScoped&lt;IPasswordHasher&lt;AppUser&gt;&gt;(sp =&gt; new IdentityPasswordHasherAdapter&lt;AppUser&gt;(
///     sp.GetRequiredService&lt;IAuthKitPasswordHasher&gt;(), new PasswordHasher&lt;AppUser&gt;()));
/// </code>
/// <para>
/// With a <c>fallback</c>, hashes that are not AuthKit's (AuthKit's begin with <c>$</c>; Identity's are plain base64) are verified
/// by the fallback, and a match is reported as <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>: Identity's sign-in
/// then stores an AuthKit hash, so existing users move over as they sign in.
/// </para>
/// </remarks>
public sealed class IdentityPasswordHasherAdapter<TUser> : IPasswordHasher<TUser>
    where TUser : class
{
    private readonly IAuthKitPasswordHasher _hasher;
    private readonly IPasswordHasher<TUser>? _fallback;

    /// <summary>Creates an adapter that hashes and verifies with <paramref name="hasher"/> only.</summary>
    [ActivatorUtilitiesConstructor]
    public IdentityPasswordHasherAdapter(IAuthKitPasswordHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hasher = hasher;
    }

    /// <summary>
    /// Creates an adapter that hashes with <paramref name="hasher"/> and verifies hashes of another format with
    /// <paramref name="fallback"/> (typically Identity's own <see cref="PasswordHasher{TUser}"/>), asking for a re-hash when they match.
    /// </summary>
    public IdentityPasswordHasherAdapter(IAuthKitPasswordHasher hasher, IPasswordHasher<TUser> fallback)
        : this(hasher)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        _fallback = fallback;
    }

    /// <inheritdoc />
    public string HashPassword(TUser user, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _hasher.HashPassword(password);
    }

    /// <inheritdoc />
    public PasswordVerificationResult VerifyHashedPassword(TUser user, string hashedPassword, string providedPassword)
    {
        if (hashedPassword is null || providedPassword is null)
        {
            return PasswordVerificationResult.Failed;
        }

        if (_fallback is not null && !hashedPassword.StartsWith('$'))
        {
            return _fallback.VerifyHashedPassword(user, hashedPassword, providedPassword) == PasswordVerificationResult.Failed
                ? PasswordVerificationResult.Failed
                : PasswordVerificationResult.SuccessRehashNeeded;
        }

        return _hasher.VerifyPassword(hashedPassword, providedPassword) switch
        {
            PasswordVerificationOutcome.Success => PasswordVerificationResult.Success,
            PasswordVerificationOutcome.SuccessRehashNeeded => PasswordVerificationResult.SuccessRehashNeeded,
            _ => PasswordVerificationResult.Failed,
        };
    }
}
