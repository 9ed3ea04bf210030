using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(3001, LogLevel.Error, "The session store failed during {Operation} ({Reason}); the request is answered with 503 Service Unavailable. {Suppressed} further store failures since the previous message were not logged (AuthKit:Sessions:StoreErrorLogInterval).", EventName = "SessionStoreFailed")]
    public static partial void SessionStoreFailed(this ILogger logger, string operation, string reason, long suppressed, Exception exception);

    [LoggerMessage(3002, LogLevel.Debug, "A session cookie was refused ({Reason}); it was cleared and the request is anonymous.", EventName = "SessionCookieRefused")]
    public static partial void SessionCookieRefused(this ILogger logger, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Plain HTTP on the loopback host {Host}: the session cookie is '{CookieName}', without Secure. This is for local development only (AuthKit:Sessions:AllowInsecureLoopback). Logged once.", EventName = "SessionCookieInsecureLoopback")]
    public static partial void SessionCookieInsecureLoopback(this ILogger logger, string host, string cookieName);

    [LoggerMessage(3004, LogLevel.Warning, "Plain HTTP on the host {Host}: the session cookie stays Secure, so browsers will not keep it and users cannot sign in. Serve HTTPS (behind a TLS proxy, use the forwarded-headers middleware), or set AuthKit:Sessions:AllowInsecureHttp explicitly. Logged once.", EventName = "SessionCookieSecureOverHttp")]
    public static partial void SessionCookieSecureOverHttp(this ILogger logger, string host);

    [LoggerMessage(3005, LogLevel.Warning, "AuthKit:Sessions:AllowInsecureHttp is on: the session cookie '{CookieName}' is sent without Secure over plain HTTP to {Host}; anyone on the network can take over the session. Logged once.", EventName = "SessionCookieInsecureHttp")]
    public static partial void SessionCookieInsecureHttp(this ILogger logger, string host, string cookieName);

    [LoggerMessage(3006, LogLevel.Warning, "HttpContext.Session was written after the response started on a request without a session: the session was not created, because its cookie can no longer be sent. Write session values before the response body.", EventName = "SessionCreatedTooLate")]
    public static partial void SessionCreatedTooLate(this ILogger logger);

    [LoggerMessage(3007, LogLevel.Warning, "The session {Handle} kept changing under this request ({Attempts} attempts); this request's session changes were dropped.", EventName = "SessionCommitGaveUp")]
    public static partial void SessionCommitGaveUp(this ILogger logger, string handle, int attempts);

    [LoggerMessage(3008, LogLevel.Debug, "The session {Handle} ended while this request ran (signed out, revoked or expired); its changes were dropped.", EventName = "SessionEndedDuringRequest")]
    public static partial void SessionEndedDuringRequest(this ILogger logger, string handle);

    [LoggerMessage(3009, LogLevel.Debug, "Signed in: new session {Handle}; the previous session {PreviousHandle} was removed.", EventName = "SessionSignedIn")]
    public static partial void SessionSignedIn(this ILogger logger, string handle, string? previousHandle);

    [LoggerMessage(3010, LogLevel.Debug, "Signed out: session {Handle} removed and its cookie expired.", EventName = "SessionSignedOut")]
    public static partial void SessionSignedOut(this ILogger logger, string? handle);

    [LoggerMessage(3011, LogLevel.Information, "The principal of session {Handle} was rejected by OnValidatePrincipal; the session was removed.", EventName = "SessionPrincipalRejected")]
    public static partial void SessionPrincipalRejected(this ILogger logger, string handle);

    [LoggerMessage(3012, LogLevel.Warning, "The session cookie could not be written because the response had already started. Sign in and out before writing the response body.", EventName = "SessionCookieTooLate")]
    public static partial void SessionCookieTooLate(this ILogger logger);

    [LoggerMessage(3013, LogLevel.Warning, "A request of session {Handle} waited AuthKit:Sessions:StoreTimeout ({TimeoutMs} ms) for the session's earlier request to finish (AuthKit:Sessions:SerializeRequests) and was answered with 503 Service Unavailable.", EventName = "SessionRequestLockTimeout")]
    public static partial void SessionRequestLockTimeout(this ILogger logger, string handle, double timeoutMs);
}
