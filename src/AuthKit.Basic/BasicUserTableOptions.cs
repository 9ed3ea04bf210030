namespace AuthKit.Basic;

/// <summary>
/// The users of <see cref="BasicUserTableValidator"/>: user name → password hash made by <see cref="IAuthKitPasswordHasher.HashPassword"/>.
/// Bound from <c>AuthKit:Basic:Users</c>.
/// </summary>
/// <remarks>Never put a plain password here: start-up fails when a value is not a hash of the configured hasher's format.</remarks>
public sealed class BasicUserTableOptions
{
    /// <summary>User name (matched exactly, case-sensitive) → password hash.</summary>
    public IDictionary<string, string> Users { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
