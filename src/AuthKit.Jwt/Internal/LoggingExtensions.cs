using Microsoft.Extensions.Logging;

namespace AuthKit.Jwt.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(7001, LogLevel.Information, "Bearer token refused: {Error}.", EventName = "TokenRefused")]
    public static partial void TokenRefused(this ILogger logger, TokenValidationError error);

    [LoggerMessage(7002, LogLevel.Debug, "Bearer token validated (jti {TokenId}).", EventName = "TokenValidated")]
    public static partial void TokenValidated(this ILogger logger, string? tokenId);

    [LoggerMessage(7003, LogLevel.Information, "Bearer request refused as malformed: {Reason}.", EventName = "InvalidRequest")]
    public static partial void InvalidRequest(this ILogger logger, string reason);

    [LoggerMessage(7004, LogLevel.Error, "Unexpected error while validating a bearer token; the token is refused.", EventName = "ValidationError")]
    public static partial void ValidationError(this ILogger logger, Exception exception);

    [LoggerMessage(7005, LogLevel.Information, "Bearer token refused by the OnTokenValidated event: {Reason}.", EventName = "TokenRefusedByEvent")]
    public static partial void TokenRefusedByEvent(this ILogger logger, string? reason);

    [LoggerMessage(7010, LogLevel.Warning, "A refresh token that is not the current one of its family (generation {Generation}) was presented: family {FamilyHandle} of user {UserId} is revoked (RFC 9700 §4.14).", EventName = "RefreshTokenReused")]
    public static partial void RefreshTokenReused(this ILogger logger, string familyHandle, string userId, long generation);

    [LoggerMessage(7011, LogLevel.Information, "A concurrent refresh with the same token won; this one is refused.", EventName = "RefreshConflict")]
    public static partial void RefreshConflict(this ILogger logger);

    [LoggerMessage(7012, LogLevel.Debug, "Refresh token family {FamilyHandle} revoked.", EventName = "RefreshFamilyRevoked")]
    public static partial void RefreshFamilyRevoked(this ILogger logger, string familyHandle);

    [LoggerMessage(7014, LogLevel.Warning, "A refresh token issued by another issuer or for another audience was presented to scheme {Scheme} and refused; its family is left alone.", EventName = "RefreshTokenForeign")]
    public static partial void RefreshTokenForeign(this ILogger logger, string scheme);

    [LoggerMessage(7015, LogLevel.Information, "User {UserId} reached MaxRefreshTokenFamiliesPerUser ({Max}): {Evicted} oldest refresh-token families evicted.", EventName = "RefreshFamiliesEvicted")]
    public static partial void RefreshFamiliesEvicted(this ILogger logger, string userId, int max, int evicted);

    [LoggerMessage(7016, LogLevel.Information, "Every access token issued to user {UserId} up to now is revoked (not-before stamp).", EventName = "AccessTokensRevoked")]
    public static partial void AccessTokensRevoked(this ILogger logger, string userId);

    [LoggerMessage(7023, LogLevel.Error, "The reloaded options of JWT scheme {Scheme} are not valid; the previous ones stay in use until the configuration is fixed: {Errors}", EventName = "OptionsReloadRejected")]
    public static partial void OptionsReloadRejected(this ILogger logger, string scheme, string errors);

    [LoggerMessage(7013, LogLevel.Debug, "Refresh refused: {Error}.", EventName = "RefreshRefused")]
    public static partial void RefreshRefused(this ILogger logger, TokenRefreshError error);

    [LoggerMessage(7020, LogLevel.Warning, "AuthKit.Jwt generated a development signing key ({KeyId}, {Algorithm}) in {Path}. Configure AuthKit:Jwt:Keys before going to production.", EventName = "DevelopmentKeyCreated")]
    public static partial void DevelopmentKeyCreated(this ILogger logger, string keyId, string algorithm, string path);

    [LoggerMessage(7021, LogLevel.Information, "AuthKit.Jwt uses the development signing key from {Path}.", EventName = "DevelopmentKeyLoaded")]
    public static partial void DevelopmentKeyLoaded(this ILogger logger, string path);

    [LoggerMessage(7022, LogLevel.Information, "AuthKit.Jwt has no key that can sign: it validates tokens only.", EventName = "ValidationOnly")]
    public static partial void ValidationOnly(this ILogger logger);

    [LoggerMessage(7030, LogLevel.Error, "The token store failed during {Operation} ({Reason}); the request is answered with 503 Service Unavailable. {Suppressed} further store failures since the previous message were not logged (AuthKit:Jwt:StoreErrorLogInterval).", EventName = "TokenStoreFailed")]
    public static partial void TokenStoreFailed(this ILogger logger, string operation, string reason, long suppressed, Exception exception);
}
