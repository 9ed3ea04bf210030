namespace AuthKit;

/// <summary>Hashes and verifies passwords.</summary>
/// <remarks>
/// Implementations: <see cref="Pbkdf2PasswordHasher"/> (the default), or your own for bcrypt, scrypt or Argon2. This interface grows
/// only by default interface members, so an implementation written today keeps compiling and working.
/// </remarks>
public interface IAuthKitPasswordHasher
{
    /// <summary>Hashes a password into a self-describing string (algorithm, parameters, salt, hash).</summary>
    /// <param name="password">The password. Never log or store it.</param>
    string HashPassword(string password);

    /// <summary>
    /// Checks a password against a hash from <see cref="HashPassword"/>, in constant time, and says in the same call whether the
    /// hash should be replaced because its parameters are weaker than the current ones.
    /// </summary>
    /// <param name="hashedPassword">The stored hash.</param>
    /// <param name="password">The password the user typed. Never log or store it.</param>
    /// <returns>
    /// <see cref="PasswordVerificationOutcome.Failed"/> for a wrong password and for a malformed hash (never an exception for either),
    /// <see cref="PasswordVerificationOutcome.Success"/>, or <see cref="PasswordVerificationOutcome.SuccessRehashNeeded"/>.
    /// </returns>
    PasswordVerificationOutcome VerifyPassword(string hashedPassword, string password);
}
