using System.Security.Claims;
using AuthKit.Basic;

namespace AuthKit.Samples;

/// <summary>Decides Basic credentials (the <c>/admin</c> area) against the same demo users as the login form.</summary>
internal sealed class DemoCredentialValidator(DemoUserDirectory users) : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(users.Validate(context.UserName, context.Password, BasicAuthenticationDefaults.AuthenticationScheme));
}
