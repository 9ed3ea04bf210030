using System.Security.Claims;
using AuthKit.Basic;

namespace AuthKit.Samples;

/// <summary>Decides Basic credentials (the <c>/admin</c> area) against the same demo users as the login form.</summary>
internal sealed class DemoCredentialValidator(DemoUserDirectory users) : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(string userName, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(users.Validate(userName, password, BasicAuthenticationDefaults.AuthenticationScheme));
}
