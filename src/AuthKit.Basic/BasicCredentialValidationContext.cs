using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Basic;

/// <summary>What an <see cref="IBasicCredentialValidator"/> is asked to decide.</summary>
/// <remarks>A class with <see langword="required"/> properties, so it can gain members without breaking validators or their tests.</remarks>
public sealed class BasicCredentialValidationContext
{
    /// <summary>The request.</summary>
    public required HttpContext HttpContext { get; init; }

    /// <summary>The Basic scheme that received the credentials.</summary>
    public required AuthenticationScheme Scheme { get; init; }

    /// <summary>The user-id exactly as the client sent it (decoded, never normalized).</summary>
    public required string UserName { get; init; }

    /// <summary>The password exactly as the client sent it. Never log or store it.</summary>
    public required string Password { get; init; }
}
