using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace AuthKit.Samples;

/// <summary>The sample's "user database": the demo users of configuration, checked with AuthKit's <see cref="IAuthKitPasswordHasher"/>.</summary>
internal sealed class DemoUserDirectory(IOptions<SampleOptions> options, IAuthKitPasswordHasher hasher)
{
    // Verifying against a dummy hash for unknown users keeps their answer as slow as a wrong password's.
    private static readonly string s_dummyHash = new Pbkdf2PasswordHasher().HashPassword(Guid.NewGuid().ToString());

    /// <summary>The user's principal when the password is right, else <see langword="null"/>.</summary>
    public ClaimsPrincipal? Validate(string? userName, string? password, string authenticationType)
    {
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        if (!options.Value.Users.TryGetValue(userName, out var user))
        {
            hasher.VerifyPassword(s_dummyHash, password);
            return null;
        }

        return hasher.VerifyPassword(user.PasswordHash, password) != PasswordVerificationOutcome.Failed ? CreatePrincipal(userName, user, authenticationType) : null;
    }

    public static ClaimsPrincipal CreatePrincipal(string userName, DemoUser user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userName),
            new(ClaimTypes.Name, userName),
            new("display_name", string.IsNullOrEmpty(user.DisplayName) ? userName : user.DisplayName),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}
