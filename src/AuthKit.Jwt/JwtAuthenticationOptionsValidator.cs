using AuthKit.Jwt.Internal;
using Microsoft.Extensions.Options;

namespace AuthKit.Jwt;

/// <summary>Checks the cross-field rules of <see cref="JwtAuthenticationOptions"/> at start-up; each message names the setting and the fix.</summary>
internal sealed class JwtAuthenticationOptionsValidator : IValidateOptions<JwtAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtAuthenticationOptions options)
    {
        var errors = new List<string>(options.KeyErrors);
        var keys = options.KeySet;
        if (keys is null)
        {
            keys = JwtKeySet.Build(options, errors);
        }

        Check(options, keys, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void Check(JwtAuthenticationOptions o, JwtKeySet keys, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(o.Issuer))
        {
            errors.Add("AuthKit:Jwt:Issuer is not set. Set it to the URL that identifies this app as a token issuer (for example https://shop.example); it is written as 'iss' and checked on validation.");
        }

        if (keys.Keys.Length == 0 && o.Keys.Count == 0 && o.SigningKeys.Count == 0)
        {
            errors.Add("AuthKit:Jwt:Keys is empty: there is no key to sign or validate tokens. Configure one (AuthKit:Jwt:Keys:0:Kid, :Algorithm, and :Secret (base64, at least 32 bytes for HS256), :Pem, :PemFile or :Jwk), "
                + "or add one in code (options.SigningKeys.Add(JwtSigningKey.FromPem(...))). In Development, GenerateDevelopmentKeys creates one.");
        }

        if (o.RefreshTokenIdleLifetime > o.RefreshTokenLifetime)
        {
            errors.Add($"AuthKit:Jwt:RefreshTokenIdleLifetime ({o.RefreshTokenIdleLifetime}) is longer than RefreshTokenLifetime ({o.RefreshTokenLifetime}). Make it shorter, or leave it unset.");
        }

        if (o.RefreshTokenReuseInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"AuthKit:Jwt:RefreshTokenReuseInterval ({o.RefreshTokenReuseInterval}) is over a minute, which hides token theft. Use a few seconds at most (default 00:00:00).");
        }

        if (o.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"AuthKit:Jwt:ClockSkew ({o.ClockSkew}) is over 5 minutes, which keeps expired tokens alive. Use at most 00:05:00 (default 00:00:30); fix the servers' clocks instead.");
        }

        if (o.StoreTimeout <= TimeSpan.Zero || o.StoreTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"AuthKit:Jwt:StoreTimeout ({o.StoreTimeout}) must be more than 0 and at most 1 minute (default 00:00:02): a request must never wait long on a store that is down.");
        }

        if (o.StoreErrorLogInterval < TimeSpan.Zero)
        {
            errors.Add($"AuthKit:Jwt:StoreErrorLogInterval ({o.StoreErrorLogInterval}) is negative. Use 00:00:00 to log every store failure, or leave the default (00:01:00).");
        }

        if (string.IsNullOrWhiteSpace(o.AccessTokenType))
        {
            errors.Add("AuthKit:Jwt:AccessTokenType is empty. Leave it at 'at+jwt'.");
        }

        if (o.RequireTokenType && !o.AcceptedTokenTypes.Any(t => !string.IsNullOrWhiteSpace(t)))
        {
            errors.Add("AuthKit:Jwt:AcceptedTokenTypes is empty while RequireTokenType is on, so no token could validate. Keep 'at+jwt' in it.");
        }

        if (string.IsNullOrWhiteSpace(o.NameClaimType) || string.IsNullOrWhiteSpace(o.RoleClaimType))
        {
            errors.Add("AuthKit:Jwt:NameClaimType and RoleClaimType must not be empty (defaults: 'sub' and 'role').");
        }

        if (o.CookieName is { } cookie && (cookie.Length == 0 || cookie.AsSpan().IndexOfAny(";, =\t\r\n\"") >= 0))
        {
            errors.Add($"AuthKit:Jwt:CookieName '{cookie}' is not a valid cookie name. Use letters, digits and '-', '_', or leave it unset.");
        }
    }
}
