namespace AuthKit.Sessions.Internal;

/// <summary>Thrown by AuthKit's own store calls when the store failed or timed out; becomes 503 in <c>UseAuthKit()</c>.</summary>
internal sealed class SessionStoreUnavailableException(string operation, Exception innerException)
    : SessionStoreException($"The session store is unavailable ({operation}).", innerException)
{
    public string Operation { get; } = operation;
}
