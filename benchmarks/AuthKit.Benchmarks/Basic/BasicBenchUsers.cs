using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AuthKit.Basic;

namespace AuthKit.Benchmarks.Basic;

/// <summary>The one benchmark user and the two credential checks every contender shares.</summary>
public static class BasicBenchUsers
{
    public const string UserName = "bench-user";
    public const string Password = "correct horse battery staple";

    /// <summary><c>Authorization</c> value for the benchmark user.</summary>
    public static readonly string Header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(UserName + ":" + Password));

    private static readonly Pbkdf2PasswordHasher s_hasher = new();

    /// <summary>A PBKDF2-HMAC-SHA256 hash at AuthKit's default 600,000 iterations, made once per process.</summary>
    public static readonly string PasswordHash = s_hasher.HashPassword(Password);

    /// <summary>The slow check: PBKDF2-600k, what a real user table does.</summary>
    public static ClaimsPrincipal? CheckHashed(string userName, string password) =>
        userName == UserName && s_hasher.VerifyPassword(PasswordHash, password) != PasswordVerificationOutcome.Failed ? Principal(userName) : null;

    /// <summary>The fast check: a constant-time comparison with a password held in memory (what no one should ship, and the floor).</summary>
    public static ClaimsPrincipal? CheckPlain(string userName, string password) =>
        userName == UserName && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Password)) ? Principal(userName) : null;

    private static ClaimsPrincipal Principal(string userName) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userName), new Claim(ClaimTypes.Name, userName)], "Basic"));
}

/// <summary>AuthKit validator over <see cref="BasicBenchUsers.CheckHashed"/>.</summary>
public sealed class BenchHashedValidator : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(BasicBenchUsers.CheckHashed(context.UserName, context.Password));
}

/// <summary>AuthKit validator over <see cref="BasicBenchUsers.CheckPlain"/>.</summary>
public sealed class BenchPlainValidator : IBasicCredentialValidator
{
    public ValueTask<ClaimsPrincipal?> ValidateAsync(BasicCredentialValidationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(BasicBenchUsers.CheckPlain(context.UserName, context.Password));
}
