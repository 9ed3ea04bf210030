using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions.Internal;

internal sealed class SessionManager(SessionRuntime runtime) : ISessionManager
{
    public Task SignInAsync(HttpContext context, ClaimsPrincipal principal, AuthenticationProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(principal);
        return context.SignInAsync(runtime.SchemeName, principal, properties);
    }

    public Task SignOutAsync(HttpContext context, AuthenticationProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.SignOutAsync(runtime.SchemeName, properties);
    }

    public string? GetCurrentSessionHandle(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SessionRuntime.FindSession(context)?.ExposedRecord?.Key.ToString();
    }

    public string? GetUserId(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return runtime.GetUserId(principal, runtime.Options);
    }

    public async Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = RequestUserId(context);
        if (userId is null)
        {
            return [];
        }

        return await ListCoreAsync(userId, SessionRuntime.FindSession(context)?.ExposedRecord?.Key, context.RequestAborted).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ListCoreAsync(userId, null, cancellationToken);
    }

    public async Task<bool> RevokeSessionAsync(HttpContext context, string sessionHandle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sessionHandle);
        var userId = RequestUserId(context);
        if (userId is null || !SessionKey.TryParse(sessionHandle, out var key))
        {
            return false;
        }

        if (SessionRuntime.FindSession(context)?.ExposedRecord is { } current && current.Key == key)
        {
            await context.SignOutAsync(runtime.SchemeName).ConfigureAwait(false);
            return true;
        }

        return await RevokeCoreAsync(userId, key, context.RequestAborted).ConfigureAwait(false);
    }

    public Task<bool> RevokeSessionAsync(string userId, string sessionHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(sessionHandle);
        return SessionKey.TryParse(sessionHandle, out var key) ? RevokeCoreAsync(userId, key, cancellationToken) : Task.FromResult(false);
    }

    public async Task<int> RevokeAllSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return await runtime.RemoveByUserAsync(userId, runtime.Options, cancellationToken).ConfigureAwait(false);
    }

    // HttpContext.User decides who the request speaks for (one identity per request), never the session cookie alone.
    private string? RequestUserId(HttpContext context) => runtime.GetRequestUserId(context.User, runtime.Options) is { Length: > 0 } id ? id : null;

    private async Task<IReadOnlyList<SessionInfo>> ListCoreAsync(string userId, SessionKey? current, CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var records = await runtime.ListAsync(userId, options, cancellationToken).ConfigureAwait(false);
        var now = runtime.Time.GetUtcNow();
        var result = new List<SessionInfo>(records.Count);
        foreach (var r in records)
        {
            if (r.Kind != SessionRecordKind.Session || r.IsExpired(now) || !string.Equals(r.UserId, userId, StringComparison.Ordinal))
            {
                continue;
            }

            result.Add(new SessionInfo
            {
                SessionHandle = r.Key.ToString(),
                CreatedAt = r.CreatedAt,
                LastSeenAt = r.LastSeenAt,
                IdleExpiresAt = r.IdleExpiresAt,
                AbsoluteExpiresAt = r.AbsoluteExpiresAt,
                IsCurrent = current == r.Key,
                AuthenticationScheme = r.AuthenticationScheme,
                Metadata = r.Metadata,
            });
        }

        result.Sort(static (a, b) => b.LastSeenAt.CompareTo(a.LastSeenAt));
        return result;
    }

    private async Task<bool> RevokeCoreAsync(string userId, SessionKey key, CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var record = await runtime.GetAsync(key, options, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Kind != SessionRecordKind.Session || !string.Equals(record.UserId, userId, StringComparison.Ordinal))
        {
            return false;
        }

        return await runtime.RemoveAsync(key, options, cancellationToken).ConfigureAwait(false);
    }
}
