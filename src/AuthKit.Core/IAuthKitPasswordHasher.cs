namespace AuthKit;

/// <summary>Hashes and verifies passwords.</summary>
public interface IAuthKitPasswordHasher
{
    /// <summary>Hashes a password into a self-describing string (algorithm, parameters, salt, hash).</summary>
    string HashPassword(string password);

    /// <summary>Checks a password against a hash from <see cref="HashPassword"/>, in constant time.</summary>
    /// <returns><see langword="false"/> for a wrong password and for a malformed hash; never throws for either.</returns>
    bool VerifyPassword(string hashedPassword, string password);

    /// <summary>Whether a hash was made with weaker parameters than the current ones (re-hash it on the next successful sign-in).</summary>
    bool NeedsRehash(string hashedPassword);
}
