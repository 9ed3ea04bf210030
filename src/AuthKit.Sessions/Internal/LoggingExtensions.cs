using Microsoft.Extensions.Logging;

namespace AuthKit.Sessions.Internal;

internal static partial class LoggingExtensions
{
    [LoggerMessage(3001, LogLevel.Error, "Session store unavailable: {Reason}. During {Operation}; the request is answered with 503 Service Unavailable. {Suppressed} further store failures since the previous message were not logged (AuthKit:Sessions:StoreErrorLogInterval).", EventName = "SessionStoreFailed")]
    public static partial void SessionStoreFailed(this ILogger logger, string operation, string reason, long suppressed, Exception exception);

    [LoggerMessage(3002, LogLevel.Debug, "A session cookie was refused ({Reason}); it was cleared and the request is anonymous.", EventName = "SessionCookieRefused")]
    public static partial void SessionCookieRefused(this ILogger logger, string reason);

    [LoggerMessage(3006, LogLevel.Warning, "HttpContext.Session was written after the response started on a request without a session: the session was not created, because its cookie can no longer be sent. Write session values before the response body.", EventName = "SessionCreatedTooLate")]
    public static partial void SessionCreatedTooLate(this ILogger logger);

    [LoggerMessage(3007, LogLevel.Warning, "The session {SessionHandle} kept changing under this request ({Attempts} attempts); this request's session changes were dropped.", EventName = "SessionCommitGaveUp")]
    public static partial void SessionCommitGaveUp(this ILogger logger, string sessionHandle, int attempts);

    [LoggerMessage(3008, LogLevel.Debug, "The session {SessionHandle} ended while this request ran (signed out, revoked or expired); its changes were dropped.", EventName = "SessionEndedDuringRequest")]
    public static partial void SessionEndedDuringRequest(this ILogger logger, string sessionHandle);

    [LoggerMessage(3009, LogLevel.Debug, "Signed in: new session {SessionHandle}; the previous session {PreviousSessionHandle} was removed (data bag carried over: {DataCarriedOver}).", EventName = "SessionSignedIn")]
    public static partial void SessionSignedIn(this ILogger logger, string sessionHandle, string? previousSessionHandle, bool dataCarriedOver);

    [LoggerMessage(3010, LogLevel.Debug, "Signed out: session {SessionHandle} removed and its cookie expired.", EventName = "SessionSignedOut")]
    public static partial void SessionSignedOut(this ILogger logger, string? sessionHandle);

    [LoggerMessage(3011, LogLevel.Information, "The principal of session {SessionHandle} was rejected by OnValidatePrincipal; the session was removed.", EventName = "SessionPrincipalRejected")]
    public static partial void SessionPrincipalRejected(this ILogger logger, string sessionHandle);

    [LoggerMessage(3012, LogLevel.Warning, "The session cookie could not be written because the response had already started. Sign in and out before writing the response body.", EventName = "SessionCookieTooLate")]
    public static partial void SessionCookieTooLate(this ILogger logger);

    [LoggerMessage(3013, LogLevel.Warning, "A request of session {SessionHandle} waited AuthKit:Sessions:StoreTimeout ({TimeoutMs} ms) for the session's earlier request to finish (AuthKit:Sessions:SerializeRequests) and was answered with 503 Service Unavailable.", EventName = "SessionRequestLockTimeout")]
    public static partial void SessionRequestLockTimeout(this ILogger logger, string sessionHandle, double timeoutMs);

    [LoggerMessage(3014, LogLevel.Warning, "A request carried the session cookie '{CookieName}' more than once; a duplicate can be planted by a sibling subdomain or for a narrower path (cookie tossing), so neither was used: the request is anonymous and the cookie was cleared.", EventName = "SessionCookieDuplicated")]
    public static partial void SessionCookieDuplicated(this ILogger logger, string cookieName);

    [LoggerMessage(3015, LogLevel.Warning, "HttpContext.Session was written on a request whose user (HttpContext.User, for example from Basic or Bearer) is not the session cookie's user: the session belongs to one user only, so the value lives for this request and is not stored. Logged once.", EventName = "SessionWriteForAnotherUser")]
    public static partial void SessionWriteForAnotherUser(this ILogger logger);

    [LoggerMessage(3016, LogLevel.Information, "A sign-in (new session {SessionHandle}) reached AuthKit:Sessions:MaxSessionsPerUser ({MaxSessions}); {Ended} least recently seen sessions of the user were ended.", EventName = "SessionQuotaReached")]
    public static partial void SessionQuotaReached(this ILogger logger, string sessionHandle, int maxSessions, int ended);

    [LoggerMessage(3017, LogLevel.Information, "A request needed a signed-in session and was answered 401 with a 'Sign-in required' body, because AuthKit:Sessions:LoginPath is not set. Set it to redirect browsers to your sign-in page. Logged once.", EventName = "SessionChallengeWithoutLoginPath")]
    public static partial void SessionChallengeWithoutLoginPath(this ILogger logger);

    [LoggerMessage(3018, LogLevel.Warning, "Ending the sessions over AuthKit:Sessions:MaxSessionsPerUser failed after a sign-in; the sign-in stands and the next sign-in tries again.", EventName = "SessionQuotaFailed")]
    public static partial void SessionQuotaFailed(this ILogger logger, Exception exception);
}
