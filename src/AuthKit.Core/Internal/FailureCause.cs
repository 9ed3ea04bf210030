using System.Net.Sockets;

namespace AuthKit.Internal;

/// <summary>Names the real cause of a store failure for a log line: the innermost exception first, then where it surfaced.</summary>
internal static class FailureCause
{
    private const int MaxMessageLength = 300;

    /// <summary>
    /// For example <c>Connection refused (SocketException, in RedisConnectionException)</c>: the innermost exception's
    /// message and type, then the outermost exception's type when it differs. Messages are cut at 300 characters.
    /// </summary>
    /// <remarks>
    /// Store exceptions carry endpoints, never credentials (StackExchange.Redis and the AuthKit stores do not put passwords in
    /// messages). The full exception still goes to the log entry's exception field.
    /// </remarks>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var root = exception.GetBaseException();
        var message = root is SocketException socket ? $"{socket.Message} ({socket.SocketErrorCode})" : root.Message;
        if (message.Length > MaxMessageLength)
        {
            message = string.Concat(message.AsSpan(0, MaxMessageLength), "…");
        }

        return ReferenceEquals(root, exception)
            ? $"{message} ({root.GetType().Name})"
            : $"{message} ({root.GetType().Name}, in {exception.GetType().Name})";
    }
}
