namespace AuthKit;

/// <summary>What <see cref="IAuthKitPasswordHasher.VerifyPassword"/> found.</summary>
/// <remarks>
/// The zero value is <see cref="Failed"/>, so a result that was never set never lets anyone in. Named apart from ASP.NET Core
/// Identity's <c>PasswordVerificationResult</c>, which <see cref="IdentityPasswordHasherAdapter{TUser}"/> maps it to.
/// </remarks>
public enum PasswordVerificationOutcome
{
    /// <summary>The password is wrong, or the stored hash is malformed or of another format.</summary>
    Failed = 0,

    /// <summary>The password is right and the hash uses the current parameters.</summary>
    Success = 1,

    /// <summary>
    /// The password is right but the hash was made with weaker parameters than the current ones: hash the password again
    /// with <see cref="IAuthKitPasswordHasher.HashPassword"/> and store the new hash.
    /// </summary>
    SuccessRehashNeeded = 2,
}
