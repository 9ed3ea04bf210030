using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace AuthKit.Basic;

/// <summary>
/// An <see cref="IBasicCredentialValidator"/> over <see cref="BasicUserTableOptions"/>: checks the password against the user's
/// <see cref="IAuthKitPasswordHasher"/> hash and returns a principal with the <see cref="ClaimTypes.Name"/> and
/// <see cref="ClaimTypes.NameIdentifier"/> of the user. Register it with <c>AddBasicUsers()</c>.
/// </summary>
/// <remarks>An unknown user costs one hash too (against a dummy hash), so response times do not tell which user names exist.</remarks>
public sealed class BasicUserTableValidator : IBasicCredentialValidator
{
    private static readonly Lock DummyLock = new();
    private static (IAuthKitPasswordHasher Hasher, string Hash)? s_dummy;

    private readonly IOptionsMonitor<BasicUserTableOptions> _users;
    private readonly IAuthKitPasswordHasher _hasher;

    /// <summary>Creates the validator.</summary>
    public BasicUserTableValidator(IOptionsMonitor<BasicUserTableOptions> users, IAuthKitPasswordHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(hasher);
        _users = users;
        _hasher = hasher;
    }

    /// <inheritdoc />
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var (userName, password) = (context.UserName, context.Password);
        if (!_users.CurrentValue.Users.TryGetValue(userName, out var hash))
        {
            _hasher.VerifyPassword(DummyHash(), password);
            return ValueTask.FromResult<ClaimsPrincipal?>(null);
        }

        if (_hasher.VerifyPassword(hash, password) == PasswordVerificationOutcome.Failed)
        {
            return ValueTask.FromResult<ClaimsPrincipal?>(null);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userName), new Claim(ClaimTypes.Name, userName)],
            BasicAuthenticationDefaults.AuthenticationScheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return ValueTask.FromResult<ClaimsPrincipal?>(new ClaimsPrincipal(identity));
    }

    private string DummyHash()
    {
        lock (DummyLock)
        {
            if (s_dummy is not { } dummy || !ReferenceEquals(dummy.Hasher, _hasher))
            {
                dummy = (_hasher, _hasher.HashPassword(Guid.NewGuid().ToString("N")));
                s_dummy = dummy;
            }

            return dummy.Hash;
        }
    }
}
