using Microsoft.AspNetCore.Http;

namespace AuthKit.Sessions.Internal;

/// <summary>
/// Loads the request's session before the endpoint (reusing the authentication handler's read), exposes it as
/// <c>HttpContext.Session</c>, answers 503 when the store is unavailable, and writes changes back once afterwards.
/// </summary>
internal sealed class SessionLoadingMiddleware(RequestDelegate next, SessionRuntime runtime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var session = runtime.GetSession(context);
        try
        {
            // With SerializeRequests, loading waits for the session's earlier requests (the lock is held from here to the commit).
            await session.EnsureLoadedAsync().ConfigureAwait(false);
            if (session.IsStoreFailed)
            {
                runtime.WriteUnavailable(context);
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (SessionStoreUnavailableException) when (!context.Response.HasStarted)
            {
                // Only AuthKit's own store calls (a sign-in, a sign-out, a commit) throw this type; the app's exceptions pass through.
                runtime.WriteUnavailable(context);
                return;
            }

            try
            {
                await session.CommitCoreAsync().ConfigureAwait(false);
            }
            catch (SessionStoreUnavailableException) when (!context.Response.HasStarted)
            {
                runtime.WriteUnavailable(context);
            }
        }
        finally
        {
            session.ReleaseLock();
        }
    }
}
