namespace AuthKit;

/// <summary>
/// The session store itself failed (disk, network, capacity). Not used for "not found": a missing record is <see langword="null"/>.
/// </summary>
/// <remarks>The session scheme answers such failures with 503 Service Unavailable, never with an anonymous request.</remarks>
public class SessionStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreException()
        : this("The session store failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SessionStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public SessionStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
