using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions.Internal;

internal sealed class SessionManager(SessionRuntime runtime) : ISessionManager
{
    private const string Scheme = SessionAuthenticationDefaults.AuthenticationScheme;

    public Task SignInAsync(HttpContext context, ClaimsPrincipal principal, AuthenticationProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(principal);
        return context.SignInAsync(Scheme, principal, properties);
    }

    public Task SignOutAsync(HttpContext context, AuthenticationProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.SignOutAsync(Scheme, properties);
    }

    public string? GetCurrentHandle(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SessionRuntime.FindSession(context)?.CurrentKey?.ToString();
    }

    public string? GetUserId(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return runtime.GetUserId(principal, runtime.Options);
    }

    public async Task<IReadOnlyList<SessionInfo>> ListAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = CurrentUserId(context);
        if (userId is null)
        {
            return [];
        }

        return await ListCoreAsync(userId, SessionRuntime.FindSession(context)?.CurrentKey, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<SessionInfo>> ListByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ListCoreAsync(userId, null, cancellationToken);
    }

    public async Task<bool> RevokeAsync(HttpContext context, string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handle);
        var userId = CurrentUserId(context);
        if (userId is null || !SessionKey.TryParse(handle, out var key))
        {
            return false;
        }

        var session = SessionRuntime.FindSession(context);
        if (session?.CurrentKey == key && string.Equals(session.Record?.UserId, userId, StringComparison.Ordinal))
        {
            await context.SignOutAsync(Scheme).ConfigureAwait(false);
            return true;
        }

        return await RevokeCoreAsync(userId, key, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> RevokeByUserAsync(string userId, string handle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(handle);
        return SessionKey.TryParse(handle, out var key) ? RevokeCoreAsync(userId, key, cancellationToken) : Task.FromResult(false);
    }

    public async Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        cancellationToken.ThrowIfCancellationRequested();
        return await runtime.RemoveByUserAsync(userId, runtime.Options).ConfigureAwait(false);
    }

    private string? CurrentUserId(HttpContext context)
    {
        // The session's own record names its user; otherwise (a bearer-authenticated API call) the request's principal does.
        var record = SessionRuntime.FindSession(context)?.Record;
        if (record?.UserId is { } sessionUser)
        {
            return sessionUser;
        }

        return context.User.Identity?.IsAuthenticated == true ? runtime.GetUserId(context.User, runtime.Options) : null;
    }

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

            result.Add(new SessionInfo(r.Key.ToString(), r.CreatedAt, r.LastSeenAt, r.IdleExpiresAt, r.AbsoluteExpiresAt, current == r.Key, r.AuthenticationScheme));
        }

        result.Sort(static (a, b) => b.LastSeenAt.CompareTo(a.LastSeenAt));
        return result;
    }

    private async Task<bool> RevokeCoreAsync(string userId, SessionKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = runtime.Options;
        var record = await runtime.GetAsync(key, options).ConfigureAwait(false);
        if (record is null || record.Kind != SessionRecordKind.Session || !string.Equals(record.UserId, userId, StringComparison.Ordinal))
        {
            return false;
        }

        return await runtime.RemoveAsync(key, options).ConfigureAwait(false);
    }
}
