using System.Globalization;
using System.Text.Json;
using AuthKit.Jwt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Tool;

/// <summary>Validates a token with the app's own <see cref="JwtTokenService"/> and explains a refusal in terms of the token and the options.</summary>
internal sealed class TokenValidator : IDisposable
{
    private readonly JwtTokenService _service;
    private readonly JwtAuthenticationOptions _options;
    private readonly string _source;
    private readonly ServiceProvider? _provider;

    private TokenValidator(JwtTokenService service, JwtAuthenticationOptions options, string source, ServiceProvider? provider)
    {
        _service = service;
        _options = options;
        _source = source;
        _provider = provider;
    }

    public static TokenValidator Create(FileInfo keys, string? issuer, string? audience, DecodedToken token)
    {
        if (!keys.Exists)
        {
            throw ToolException.Configuration($"--keys {keys.FullName}: no such file. Give the app's appsettings.json (with AuthKit:Jwt) or a JWKS document saved from the app's /.well-known/jwks.json.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(keys.FullName), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw ToolException.Configuration($"--keys {keys.FullName} cannot be read as JSON ({ex.Message}). Give the app's appsettings.json or a JWKS document.", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("keys", out var set) && set.ValueKind == JsonValueKind.Array)
            {
                return FromJwks(set, keys.FullName, issuer ?? token.Issuer, audience ?? token.Audiences.FirstOrDefault(), issuer is null, audience is null);
            }
        }

        if (issuer is not null || audience is not null)
        {
            throw ToolException.Usage("--issuer and --audience go with a JWKS document; with an app configuration file the app's own AuthKit:Jwt:Issuer and Audience apply.");
        }

        return FromConfiguration(keys.FullName);
    }

    private static TokenValidator FromConfiguration(string path)
    {
        var configuration = AppConfiguration.Load(path);
        if (!configuration.Configuration.GetSection(JwtAuthenticationDefaults.ConfigurationSection).Exists())
        {
            throw ToolException.Configuration($"{path} has no {JwtAuthenticationDefaults.ConfigurationSection} section (and the environment sets none). Give the configuration file that holds the app's JWT keys, or a JWKS document.");
        }

        // The app's own registration: AuthKit:Jwt binds, post-configures and validates exactly as in the app.
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration.Configuration);
        services.AddLogging();
        services.AddAuthKit().AddJwt();
        var provider = services.BuildServiceProvider();
        try
        {
            var service = (JwtTokenService)provider.GetRequiredKeyedService<ITokenService>(JwtAuthenticationDefaults.AuthenticationScheme);
            var options = provider.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>().Get(JwtAuthenticationDefaults.AuthenticationScheme);
            return new TokenValidator(service, options, configuration.Description, provider);
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw ToolException.Configuration($"the JWT settings in {configuration.Description} are not valid, so the app would not start either:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            provider.Dispose();
            throw ToolException.Configuration($"the JWT settings in {configuration.Description} are not valid: {ex.Message}", ex);
        }
    }

    private static TokenValidator FromJwks(JsonElement set, string path, string? issuer, string? audience, bool issuerFromToken, bool audienceFromToken)
    {
        var options = new JwtAuthenticationOptions { Issuer = issuer ?? "(none)", Audience = audience, RequireAudience = audience is not null };
        foreach (var jwk in set.EnumerateArray())
        {
            try
            {
                options.SigningKeys.Add(JwtSigningKey.FromJwk(jwk.GetRawText()));
            }
            catch (ArgumentException ex)
            {
                throw ToolException.Configuration($"a key of the JWKS {path} cannot be used: {ex.Message}", ex);
            }
        }

        if (options.SigningKeys.Count == 0)
        {
            throw ToolException.Configuration($"the JWKS {path} has no keys. HMAC keys are never published: validate HS256 tokens with the app's configuration file instead.");
        }

        var unchecked_ = new List<string>();
        if (issuerFromToken)
        {
            unchecked_.Add("iss");
        }

        if (audienceFromToken)
        {
            unchecked_.Add("aud");
        }

        var source = unchecked_.Count == 0 ? path : $"{path} ({string.Join(" and ", unchecked_)} taken from the token, so not checked: give --issuer/--audience)";
        try
        {
            return new TokenValidator(JwtTokenService.Create(options), options, source, provider: null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException)
        {
            throw ToolException.Configuration($"the JWKS {path} cannot be used: {ex.Message}", ex);
        }
    }

    public async Task<(bool Valid, string Message)> ValidateAsync(string token, DecodedToken decoded, CancellationToken cancellationToken)
    {
        var result = await _service.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            var name = result.Principal.Identity?.Name ?? decoded.Subject ?? "(no subject)";
            return (true, $"Valid: signed by key '{decoded.KeyId}' ({decoded.Algorithm}) of {_source}; subject '{name}'.");
        }

        return (false, $"Refused: {result.Error}. {Explain(result.Error, decoded)}");
    }

    private string Explain(TokenValidationError error, DecodedToken token)
    {
        var now = TimeProvider.System.GetUtcNow();
        var keys = string.Join(", ", _service.Keys.Select(k => $"'{k.KeyId}' ({k.Algorithm})"));
        var key = _service.Keys.FirstOrDefault(k => k.KeyId == token.KeyId);
        return error switch
        {
            TokenValidationError.Malformed => $"The token is not one AuthKit accepts: bad base64url or JSON, duplicate claims, a forbidden header (jwk, jku, x5u, unknown crit, alg none), a kid or alg missing, or over {_options.MaxTokenLength} characters (AuthKit:Jwt:MaxTokenLength).",
            TokenValidationError.UnknownKey => $"No key has the token's kid '{token.KeyId}'; the keys of {_source} are {keys}. The token comes from another app or environment, or its key was removed from AuthKit:Jwt:Keys.",
            TokenValidationError.AlgorithmNotAllowed => key is null
                ? $"The header's alg '{token.Algorithm}' is not allowed."
                : $"The header's alg '{token.Algorithm}' is not the algorithm bound to key '{key.KeyId}' ({key.Algorithm}): a key signs with one algorithm only.",
            TokenValidationError.BadSignature => $"The signature does not verify with key '{token.KeyId}' ({key?.Algorithm}): the token was altered, or signed by another key that has the same kid (another environment?).",
            TokenValidationError.BadType => $"The typ header '{token.Type ?? "(none)"}' is not an accepted access-token type ({string.Join(", ", _options.AcceptedTokenTypes)}; AuthKit:Jwt:AcceptedTokenTypes). An ID token or a refresh token is not an access token.",
            TokenValidationError.Expired => $"It expired at {Format(token.Time("exp"), now)}, beyond the clock skew of {_options.ClockSkew.TotalSeconds:0} s (AuthKit:Jwt:ClockSkew). Get a new one (refresh); if it should not have expired, compare the servers' clocks.",
            TokenValidationError.NotYetValid => $"It is not valid before {Format(token.Time("nbf") ?? token.Time("iat"), now)}, beyond the clock skew of {_options.ClockSkew.TotalSeconds:0} s: the issuing server's clock is ahead of this one.",
            TokenValidationError.BadIssuer => $"Its iss '{token.Issuer ?? "(none)"}' is not accepted; the app accepts {Quote([_options.Issuer, .. _options.ValidIssuers])} (AuthKit:Jwt:Issuer, ValidIssuers).",
            TokenValidationError.BadAudience => $"Its aud {Quote(token.Audiences)} has none of the accepted audiences {Quote([_options.Audience ?? _options.Issuer, .. _options.ValidAudiences])} (AuthKit:Jwt:Audience, ValidAudiences).",
            TokenValidationError.Revoked => $"Its jti '{token.TokenId}' is revoked.",
            _ => "See the TokenValidationError documentation.",
        };
    }

    private static string Format(DateTimeOffset? time, DateTimeOffset now) => time is { } t ? DecodedToken.FormatTime(t, now) : "(no time claim)";

    private static string Quote(IEnumerable<string?> values)
    {
        var list = values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list.Select(v => string.Create(CultureInfo.InvariantCulture, $"'{v}'")));
    }

    public void Dispose() => _provider?.Dispose();
}
