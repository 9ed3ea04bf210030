namespace AuthKit;

/// <summary>A store with a capacity limit is full and cannot take a new record; reads keep working.</summary>
public sealed class SessionStoreFullException : SessionStoreException
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreFullException()
        : base("The session store is full.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SessionStoreFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public SessionStoreFullException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
