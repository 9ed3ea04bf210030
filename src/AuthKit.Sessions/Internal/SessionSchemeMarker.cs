namespace AuthKit.Sessions.Internal;

/// <summary>The name of the application's session scheme (one per application: <c>HttpContext.Session</c> belongs to it).</summary>
internal sealed class SessionSchemeMarker(string name)
{
    public string Name { get; } = name;
}
