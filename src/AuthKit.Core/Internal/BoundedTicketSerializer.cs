using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace AuthKit.Internal;

/// <summary>
/// The framework's ticket format (version 5), read with bounds: the framework's reader allocates arrays sized by counts it
/// reads, so a damaged count could ask for gigabytes. Counts are checked against the bytes left before anything is allocated;
/// identities and claims are read by the framework's own <see cref="TicketSerializer.ReadIdentity"/>. An identity's actor is
/// nested inside it and read by recursion, so the nesting is bounded too (<see cref="MaxActorDepth"/>): a record of a megabyte
/// could otherwise nest a hundred thousand actors and overflow the stack, which kills the process.
/// </summary>
internal sealed class BoundedTicketSerializer : TicketSerializer
{
    private const int TicketFormatVersion = 5;
    private const int PropertiesFormatVersion = 1;

    /// <summary>The deepest actor chain read (delegation chains in practice are one or two deep).</summary>
    public const int MaxActorDepth = 16;

    // Read is synchronous and the instance is shared: the depth of the identity being read lives with the thread.
    [ThreadStatic]
    private static int t_depth;

    public static new BoundedTicketSerializer Default { get; } = new();

    /// <inheritdoc />
    /// <exception cref="FormatException">The actor chain is deeper than <see cref="MaxActorDepth"/>.</exception>
    protected override ClaimsIdentity ReadIdentity(BinaryReader reader)
    {
        // The framework reads an identity's actor by calling this method again.
        if (t_depth > MaxActorDepth)
        {
            throw new FormatException("The actor chain is too deep.");
        }

        t_depth++;
        try
        {
            return base.ReadIdentity(reader);
        }
        finally
        {
            t_depth--;
        }
    }

    public override AuthenticationTicket? Read(BinaryReader reader)
    {
        var stream = reader.BaseStream;
        if (reader.ReadInt32() != TicketFormatVersion)
        {
            return null;
        }

        var scheme = reader.ReadString();
        var count = reader.ReadInt32();

        // An identity takes at least a few bytes (an empty string, two markers, a claim count, two flags).
        if (count < 0 || count > (stream.Length - stream.Position) / 8)
        {
            return null;
        }

        var identities = new ClaimsIdentity[count];
        for (var i = 0; i < count; i++)
        {
            identities[i] = ReadIdentity(reader);
        }

        var start = stream.Position;
        if (reader.ReadInt32() != PropertiesFormatVersion)
        {
            return null;
        }

        var entries = reader.ReadInt32();
        if (entries < 0 || entries > (stream.Length - stream.Position) / 2)
        {
            return null;
        }

        stream.Position = start;
        var properties = PropertiesSerializer.Default.Read(reader);
        return properties is null ? null : new AuthenticationTicket(new ClaimsPrincipal(identities), properties, scheme);
    }
}
