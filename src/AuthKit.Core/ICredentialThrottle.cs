using Microsoft.AspNetCore.Http;

namespace AuthKit;

/// <summary>
/// Throttles password guessing for every way of signing in (HTTP Basic, a form login, a token endpoint): one budget per user name,
/// per client address and per (user name, known client) pair, shared by every instance when the session store is shared.
/// </summary>
/// <remarks>
/// <para>Use it around the code that checks a password:</para>
/// <code>
/// await using var attempt = await throttle.TryAcquireAsync(userName, httpContext);
/// if (!attempt.IsAcquired)
/// {
///     attempt.Status.ApplyTo(httpContext.Response);   // 429 + Retry-After
///     return;
/// }
///
/// var user = await users.CheckPasswordAsync(userName, password);
/// if (user is null) { await attempt.RecordFailureAsync(); /* 400 or 401 */ }
/// else { await attempt.RecordSuccessAsync(); /* sign in */ }
/// </code>
/// <para>
/// <see cref="TryAcquireAsync"/> reserves an attempt slot atomically <em>before</em> the password is checked: attempts in flight
/// count against the limits, and concurrent checks per user and per client are capped, so a burst of requests cannot run the
/// check more often than the limits allow. A client that a user has signed in from before (a <em>known client</em>) is held to
/// its own budget instead of the user name's, so strangers failing for a user name do not lock the user out of the clients they
/// already use. The model and its limits are described in <c>docs/throttling.md</c>.
/// </para>
/// <para>This interface grows only by default interface members.</para>
/// </remarks>
public interface ICredentialThrottle
{
    /// <summary>
    /// Reserves one attempt to check a password for <paramref name="userName"/> from the client of <paramref name="httpContext"/>
    /// (its remote address; run <c>UseForwardedHeaders()</c> first behind a proxy).
    /// </summary>
    /// <param name="userName">The user name as the client sent it (compared case-insensitively).</param>
    /// <param name="httpContext">The request; its <c>Connection.RemoteIpAddress</c> identifies the client.</param>
    /// <param name="cancellationToken">Cancels the reservation.</param>
    /// <returns>
    /// A lease. When <see cref="CredentialThrottleLease.IsAcquired"/> is <see langword="false"/>, do not check the password: answer
    /// 429 with <c>Retry-After</c> (<see cref="CredentialThrottleStatus.ApplyTo"/>). Otherwise check it, then call
    /// <see cref="CredentialThrottleLease.RecordSuccessAsync"/> or <see cref="CredentialThrottleLease.RecordFailureAsync"/>, and
    /// dispose the lease.
    /// </returns>
    ValueTask<CredentialThrottleLease> TryAcquireAsync(string userName, HttpContext httpContext, CancellationToken cancellationToken = default);

    /// <summary>
    /// Says whether <paramref name="userName"/> may be served to the client of <paramref name="httpContext"/> <em>without</em> a
    /// fresh password check (for example from a cache of verified credentials): a throttled user name or client is throttled
    /// whatever a cache says, or the cache would answer the guesses the throttle refuses.
    /// </summary>
    /// <param name="userName">The user name the cached credential belongs to.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The status; when <see cref="CredentialThrottleStatus.IsThrottled"/>, answer 429 with <c>Retry-After</c>.</returns>
    ValueTask<CredentialThrottleStatus> CheckAsync(string userName, HttpContext httpContext, CancellationToken cancellationToken = default);
}
