using AuthKit.Internal.Keys;
using AuthKit.Jwt.Internal;
using Microsoft.Extensions.Options;

namespace AuthKit.Jwt;

/// <summary>
/// Checks every rule of <see cref="JwtAuthenticationOptions"/> at start-up (single fields and cross-field contradictions alike) and reports
/// every problem at once; each message names the setting, under the scheme's configuration section, and the fix.
/// </summary>
internal sealed class JwtAuthenticationOptionsValidator : IValidateOptions<JwtAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtAuthenticationOptions options)
    {
        var errors = Check(options, JwtAuthenticationDefaults.ConfigurationSectionFor(name), out _);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem of <paramref name="o"/>, its keys included (resolved by the post-configure step, or here when it did not run).</summary>
    internal static List<string> Check(JwtAuthenticationOptions o, string section, out JwtKeySet keys)
    {
        var errors = new List<string>(o.KeyErrors);
        keys = o.KeySet ?? JwtKeySet.Build(o, section, errors);
        if (string.IsNullOrWhiteSpace(o.Issuer))
        {
            errors.Add($"{section}:Issuer is not set. Set it to the URL that identifies this app as a token issuer (for example https://shop.example); it is written as 'iss' and checked on validation.");
        }

        if (o.UsesManagedKeys)
        {
            if (!ManagedKeyMaterial.IsSupported(o.ManagedKeyAlgorithm))
            {
                errors.Add($"{section}:ManagedKeyAlgorithm '{o.ManagedKeyAlgorithm}' is not supported. Use ES256 (the default), ES384, ES512, RS256, PS256 or HS256.");
            }
        }
        else if (keys.Keys.Length == 0 && o.Keys.Count == 0 && o.SigningKeys.Count == 0)
        {
            errors.Add($"{section}:Keys is empty: there is no key to sign or validate tokens. Configure one ({section}:Keys:0:KeyId, :Algorithm, and :Secret (base64, at least 32 bytes for HS256), :Pem, :PemFile or :Jwk), "
                + "or add one in code (options.SigningKeys.Add(JwtSigningKey.FromPem(...))). In Development, GenerateDevelopmentKeys creates one.");
        }

        if (o.AccessTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{section}:AccessTokenLifetime ({o.AccessTokenLifetime}) must be positive. Keep access tokens short: minutes (default 00:15:00).");
        }

        if (o.RefreshTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{section}:RefreshTokenLifetime ({o.RefreshTokenLifetime}) must be positive (default 14.00:00:00).");
        }

        if (o.RefreshTokenIdleLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{section}:RefreshTokenIdleLifetime ({o.RefreshTokenIdleLifetime}) must be positive. Leave it unset for no idle limit.");
        }
        else if (o.RefreshTokenIdleLifetime > o.RefreshTokenLifetime)
        {
            errors.Add($"{section}:RefreshTokenIdleLifetime ({o.RefreshTokenIdleLifetime}) is longer than RefreshTokenLifetime ({o.RefreshTokenLifetime}). Make it shorter, or leave it unset.");
        }

        if (o.RefreshTokenReuseInterval < TimeSpan.Zero)
        {
            errors.Add($"{section}:RefreshTokenReuseInterval ({o.RefreshTokenReuseInterval}) is negative. Use 00:00:00 (the default, RFC 9700's strict rule) or a few seconds.");
        }
        else if (o.RefreshTokenReuseInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:RefreshTokenReuseInterval ({o.RefreshTokenReuseInterval}) is over a minute, which hides token theft. Use a few seconds at most (default 00:00:00).");
        }

        if (o.MaxRefreshTokenFamiliesPerUser < 1)
        {
            errors.Add($"{section}:MaxRefreshTokenFamiliesPerUser ({o.MaxRefreshTokenFamiliesPerUser}) must be at least 1 (default 100): it bounds what one user keeps in the store.");
        }

        if (o.ClockSkew < TimeSpan.Zero)
        {
            errors.Add($"{section}:ClockSkew ({o.ClockSkew}) is negative. Use 00:00:00 or more (default 00:00:30).");
        }
        else if (o.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{section}:ClockSkew ({o.ClockSkew}) is over 5 minutes, which keeps expired tokens alive. Use at most 00:05:00 (default 00:00:30); fix the servers' clocks instead.");
        }

        if (o.MaxTokenLength < 64)
        {
            errors.Add($"{section}:MaxTokenLength ({o.MaxTokenLength}) is below 64 characters, shorter than any signed token. Leave the default (8192).");
        }

        if (o.UserNotBeforeCacheDuration < TimeSpan.Zero || o.UserNotBeforeCacheDuration > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{section}:UserNotBeforeCacheDuration ({o.UserNotBeforeCacheDuration}) must be between 00:00:00 (read the store on every validation) and 00:05:00 (default 00:00:10): "
                + "it is how long other instances keep accepting the tokens of a user who signed out everywhere.");
        }

        if (o.StoreTimeout <= TimeSpan.Zero || o.StoreTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:StoreTimeout ({o.StoreTimeout}) must be more than 0 and at most 1 minute (default 00:00:02): a request must never wait long on a store that is down.");
        }

        if (o.StoreErrorLogInterval < TimeSpan.Zero)
        {
            errors.Add($"{section}:StoreErrorLogInterval ({o.StoreErrorLogInterval}) is negative. Use 00:00:00 to log every store failure, or leave the default (00:01:00).");
        }

        if (string.IsNullOrWhiteSpace(o.AccessTokenType))
        {
            errors.Add($"{section}:AccessTokenType is empty. Leave it at 'at+jwt'.");
        }

        if (o.RequireTokenType && !o.AcceptedTokenTypes.Any(t => !string.IsNullOrWhiteSpace(t)))
        {
            errors.Add($"{section}:AcceptedTokenTypes is empty while RequireTokenType is on, so no token could validate. Keep 'at+jwt' in it.");
        }

        if (string.IsNullOrWhiteSpace(o.NameClaimType) || string.IsNullOrWhiteSpace(o.RoleClaimType))
        {
            errors.Add($"{section}:NameClaimType and RoleClaimType must not be empty (defaults: 'sub' and 'role').");
        }

        if (o.CookieName is { } cookie && (cookie.Length == 0 || cookie.AsSpan().IndexOfAny(";, =\t\r\n\"") >= 0))
        {
            errors.Add($"{section}:CookieName '{cookie}' is not a valid cookie name. Use letters, digits and '-', '_', or leave it unset.");
        }

        return errors;
    }
}
