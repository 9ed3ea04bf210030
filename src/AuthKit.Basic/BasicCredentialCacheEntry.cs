using System.Security.Claims;

namespace AuthKit.Basic;

/// <summary>A verified credential, as kept by an <see cref="IBasicCredentialCache"/>.</summary>
public sealed class BasicCredentialCacheEntry
{
    /// <summary>The user name the client sent (the throttle is checked for it on every hit).</summary>
    public required string UserName { get; init; }

    /// <summary>The principal the validator returned. The handler gives each request its own deep copy.</summary>
    public required ClaimsPrincipal Principal { get; init; }

    /// <summary>When the entry stops being served.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// When the validator was asked. A cache refuses the entry if <see cref="IBasicCredentialCache.InvalidateUser"/> or
    /// <see cref="IBasicCredentialCache.Clear"/> ran at or after this instant, so an invalidation is never undone by a validation
    /// that was already running.
    /// </summary>
    public required DateTimeOffset ValidationStartedAt { get; init; }
}
