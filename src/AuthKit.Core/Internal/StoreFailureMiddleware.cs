using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AuthKit.Internal;

/// <summary>
/// Answers 503 Service Unavailable (with <c>Retry-After</c>) when a <see cref="SessionStoreException"/> escapes the
/// endpoint — an app's call to <see cref="ICredentialThrottle"/>, the session manager or the token service while the store
/// is down — instead of the 500 an unhandled exception would give. Other exceptions pass through untouched.
/// </summary>
internal sealed class StoreFailureMiddleware(RequestDelegate next, TimeProvider time, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
    private readonly ILogger _logger = loggerFactory.CreateLogger("AuthKit.StoreFailure");
    private readonly LogGate _logGate = new();

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (SessionStoreException ex) when (!context.Response.HasStarted)
        {
            Log(ex);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.Headers.CacheControl = "no-store";
        }
    }

    // One line per interval at most: an outage fails every request, and the log must stay readable.
    private void Log(SessionStoreException exception)
    {
        if (_logGate.TryPass(time.GetUtcNow(), LogInterval, out var suppressed))
        {
            _logger.StoreFailureAnswered503(FailureCause.Describe(exception), suppressed, exception);
        }
    }
}
