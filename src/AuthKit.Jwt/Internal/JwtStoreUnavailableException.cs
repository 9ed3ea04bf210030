namespace AuthKit.Jwt.Internal;

/// <summary>
/// Thrown by <see cref="JwtTokenService"/> when the store failed or did not answer within <see cref="JwtAuthenticationOptions.StoreTimeout"/>;
/// the bearer scheme and the token endpoints answer it with 503. Public callers see it as a <see cref="SessionStoreException"/>.
/// </summary>
internal sealed class JwtStoreUnavailableException(string operation, Exception innerException)
    : SessionStoreException($"The token store is unavailable ({operation}).", innerException)
{
    public string Operation { get; } = operation;
}
