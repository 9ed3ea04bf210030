using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Jwt.Internal;

/// <summary>The JWKS, refresh (RFC 6749 §6) and revocation (RFC 7009) endpoints.</summary>
internal static class JwtEndpoints
{
    private const int MaxJsonBody = 16 * 1024;

    public static async Task JwksAsync(HttpContext context, string scheme)
    {
        byte[] json;
        TimeSpan maxAge;
        try
        {
            if (JwtSchemes.GetTokenService(context.RequestServices, scheme) is JwtTokenService service)
            {
                // The keys the scheme's service uses now: a reload it refused is not served, managed keys are.
                (json, maxAge) = service.GetJwksForEndpoint();
            }
            else
            {
                // Another token service: the scheme's configured keys.
                var options = context.RequestServices.GetRequiredService<IOptionsMonitor<JwtAuthenticationOptions>>().Get(scheme);
                json = (options.KeySet ?? JwtKeySet.Build(options, JwtAuthenticationDefaults.ConfigurationSectionFor(scheme), [])).JwksJson;
                maxAge = TimeSpan.FromMinutes(5);
            }
        }
        catch (SessionStoreException) when (!context.Response.HasStarted)
        {
            await UnavailableAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "public, max-age=" + ((long)maxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task RefreshAsync(HttpContext context, string scheme)
    {
        try
        {
            await RefreshCoreAsync(context, scheme).ConfigureAwait(false);
        }
        catch (SessionStoreException) when (!context.Response.HasStarted)
        {
            // Logged (rate-limited) by the token service.
            await UnavailableAsync(context).ConfigureAwait(false);
        }
    }

    public static async Task RevokeAsync(HttpContext context, string scheme)
    {
        try
        {
            await RevokeCoreAsync(context, scheme).ConfigureAwait(false);
        }
        catch (SessionStoreException) when (!context.Response.HasStarted)
        {
            await UnavailableAsync(context).ConfigureAwait(false);
        }
    }

    private static async Task RefreshCoreAsync(HttpContext context, string scheme)
    {
        NoStore(context.Response);
        var tokens = JwtSchemes.GetTokenService(context.RequestServices, scheme);
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var (ok, parameters) = await ReadParametersAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (!ok || parameters.Duplicate)
        {
            await ErrorAsync(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        if (parameters.GrantType is not null && parameters.GrantType != "refresh_token")
        {
            await ErrorAsync(context, "unsupported_grant_type").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(parameters.RefreshToken))
        {
            await ErrorAsync(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        var result = await tokens.RefreshAsync(parameters.RefreshToken, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await ErrorAsync(context, "invalid_grant").ConfigureAwait(false);
            return;
        }

        var issued = result.Tokens;
        var expiresIn = (long)Math.Max(0, Math.Round((issued.AccessTokenExpiresAt - time.GetUtcNow()).TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await WriteJsonAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", issued.AccessToken);
            w.WriteString("token_type", issued.TokenType);
            w.WriteNumber("expires_in", expiresIn);
            if (issued.RefreshToken is not null)
            {
                w.WriteString("refresh_token", issued.RefreshToken);
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task RevokeCoreAsync(HttpContext context, string scheme)
    {
        NoStore(context.Response);
        var tokens = JwtSchemes.GetTokenService(context.RequestServices, scheme);
        var (ok, parameters) = await ReadParametersAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (!ok || parameters.Duplicate || string.IsNullOrEmpty(parameters.Token))
        {
            await ErrorAsync(context, "invalid_request").ConfigureAwait(false);
            return;
        }

        // RFC 7009 §2.2: the answer is 200 whether or not the token was known, so it tells a caller nothing.
        var token = parameters.Token;
        if (JwtRefreshToken.IsWellFormed(token))
        {
            await tokens.RevokeRefreshTokenAsync(token, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            var validation = await tokens.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false);
            if (validation.Succeeded && validation.TokenId is { } jti && validation.ExpiresAt is { } expires)
            {
                await tokens.RevokeTokenIdAsync(jti, expires, context.RequestAborted).ConfigureAwait(false);
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>503 <c>{"error":"temporarily_unavailable"}</c> (the RFC 6749 code for a server that cannot answer now) with <c>Retry-After</c>.</summary>
    private static Task UnavailableAsync(HttpContext context)
    {
        JwtStoreUnavailable.Write(context.Response);
        NoStore(context.Response);
        context.Response.ContentType = "application/json";
        return WriteJsonAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", "temporarily_unavailable");
            w.WriteEndObject();
        });
    }

    private static Task ErrorAsync(HttpContext context, string error)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        return WriteJsonAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteEndObject();
        });
    }

    private static async Task WriteJsonAsync(HttpResponse response, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }

    private static async Task<(bool Ok, TokenParameters Parameters)> ReadParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new TokenParameters();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
            {
                return (false, parameters);
            }

            parameters.GrantType = Single(form["grant_type"], ref parameters.Duplicate);
            parameters.RefreshToken = Single(form["refresh_token"], ref parameters.Duplicate);
            parameters.Token = Single(form["token"], ref parameters.Duplicate);
            return (true, parameters);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return (false, parameters);
        }

        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (false, parameters);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (false, parameters);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = reader.ValueTextEquals("grant_type"u8) ? 1 : reader.ValueTextEquals("refresh_token"u8) ? 2 : reader.ValueTextEquals("token"u8) ? 3 : 0;
                reader.Read();
                if (which == 0)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return (false, parameters);
                }

                var value = reader.GetString();
                ref var slot = ref which == 1 ? ref parameters.GrantType : ref which == 2 ? ref parameters.RefreshToken : ref parameters.Token;
                parameters.Duplicate |= slot is not null;
                slot = value;
            }

            return (reader.TokenType == JsonTokenType.EndObject && !reader.Read(), parameters);
        }
        catch (JsonException)
        {
            return (false, parameters);
        }
        catch (InvalidOperationException)
        {
            return (false, parameters);
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxJsonBody)
        {
            return null;
        }

        using var memory = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (memory.Length + n > MaxJsonBody)
                {
                    return null;
                }

                memory.Write(buffer, 0, n);
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return memory.ToArray();
    }

    private static string? Single(StringValues values, ref bool duplicate)
    {
        if (values.Count > 1)
        {
            duplicate = true;
        }

        return values.Count == 0 ? null : values[0];
    }

    private struct TokenParameters
    {
        public string? GrantType;
        public string? RefreshToken;
        public string? Token;
        public bool Duplicate;
    }
}
