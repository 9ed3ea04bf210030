using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthKit;

/// <summary>Whether an attempt is throttled, by which limit, and for how long.</summary>
public readonly struct CredentialThrottleStatus : IEquatable<CredentialThrottleStatus>
{
    /// <summary>Creates a status.</summary>
    /// <param name="limit">The limit that refused the attempt, or <see cref="CredentialThrottleLimit.None"/>.</param>
    /// <param name="retryAfter">How long until an attempt may succeed the limit (ignored when <paramref name="limit"/> is <see cref="CredentialThrottleLimit.None"/>).</param>
    public CredentialThrottleStatus(CredentialThrottleLimit limit, TimeSpan retryAfter)
    {
        Limit = limit;
        RetryAfter = limit == CredentialThrottleLimit.None ? TimeSpan.Zero : (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
    }

    /// <summary>The status of an attempt that may go ahead.</summary>
    public static CredentialThrottleStatus NotThrottled => default;

    /// <summary>The limit that refused the attempt; <see cref="CredentialThrottleLimit.None"/> when it may go ahead.</summary>
    public CredentialThrottleLimit Limit { get; }

    /// <summary>Whether the attempt is refused.</summary>
    public bool IsThrottled => Limit != CredentialThrottleLimit.None;

    /// <summary>How long to wait before trying again; zero when not throttled.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>The value of the <c>Retry-After</c> header: whole seconds, rounded up, at least 1 (0 when not throttled).</summary>
    public long RetryAfterSeconds => IsThrottled ? Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds)) : 0;

    /// <summary>Sets status 429 and the <c>Retry-After</c> header on <paramref name="response"/> (the body is yours to write).</summary>
    /// <exception cref="InvalidOperationException">The status is not throttled, or the response has started.</exception>
    public void ApplyTo(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!IsThrottled)
        {
            throw new InvalidOperationException("The attempt is not throttled; there is no 429 to send.");
        }

        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool Equals(CredentialThrottleStatus other) => Limit == other.Limit && RetryAfter == other.RetryAfter;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CredentialThrottleStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Limit, RetryAfter);

    /// <summary>Compares two statuses.</summary>
    public static bool operator ==(CredentialThrottleStatus left, CredentialThrottleStatus right) => left.Equals(right);

    /// <summary>Compares two statuses.</summary>
    public static bool operator !=(CredentialThrottleStatus left, CredentialThrottleStatus right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => IsThrottled ? $"{Limit}, retry after {RetryAfterSeconds} s" : "not throttled";
}
