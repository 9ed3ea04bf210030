using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using AuthKit.Jwt.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthKit.Jwt;

/// <summary>
/// The bearer scheme (RFC 6750): reads the access token from <c>Authorization: Bearer</c> (or the configured cookie, never the query string),
/// validates it with the scheme's <see cref="ITokenService"/>, and answers with RFC 6750 challenges.
/// </summary>
/// <remarks>
/// <para>The token service is the keyed <see cref="ITokenService"/> registered under the scheme name (a <see cref="JwtTokenService"/> built from
/// the scheme's options, unless the app registered its own), resolved per request.</para>
/// <para>
/// No token: 401 with <c>WWW-Authenticate: Bearer</c> and no error code. A refused token: 401 <c>error="invalid_token"</c>. A malformed request
/// (several <c>Authorization</c> headers, an empty token): 400 <c>error="invalid_request"</c>. Forbidden: 403 <c>error="insufficient_scope"</c>.
/// <c>error_description</c> only with <see cref="JwtAuthenticationOptions.IncludeErrorDetails"/>. With the <c>jti</c> denylist on, a store that
/// fails or exceeds <see cref="JwtAuthenticationOptions.StoreTimeout"/> answers 503 Service Unavailable (<c>Retry-After</c>), never a 500 and never an
/// authenticated request.</para>
/// </remarks>
public sealed class JwtAuthenticationHandler : AuthenticationHandler<JwtAuthenticationOptions>
{
    private const string InvalidRequest = "invalid_request";
    private const string InvalidToken = "invalid_token";
    private const string InsufficientScope = "insufficient_scope";

    // The delegates every JwtAuthenticationEvents starts with: an app that sets none gets no event context built per request.
    private static readonly JwtAuthenticationEvents s_defaultEvents = new();

    private AuthKitMetrics? _metrics;
    private bool _metricsResolved;
    private TokenValidationError? _failure;
    private string? _invalidRequest;
    private bool _storeFailed;

    /// <summary>Creates the handler (by the authentication framework, once per request).</summary>
    public JwtAuthenticationHandler(IOptionsMonitor<JwtAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    /// <summary>The handler's events.</summary>
    private new JwtAuthenticationEvents Events
    {
        get => (JwtAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new JwtAuthenticationEvents());

    /// <summary>The metrics: those AuthKit's token service was built with, or the application's (looked up once per request at most).</summary>
    private AuthKitMetrics? Metrics
    {
        get
        {
            if (!_metricsResolved)
            {
                _metrics = Context.RequestServices.GetService<AuthKitMetrics>();
                _metricsResolved = true;
            }

            return _metrics;
        }
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var events = Events;
        var defaultEvents = events.GetType() == typeof(JwtAuthenticationEvents);
        string? token = null;
        string? bearerHeader = null;
        int bearerStart = 0, bearerLength = 0;
        if (!defaultEvents || !ReferenceEquals(events.OnMessageReceived, s_defaultEvents.OnMessageReceived))
        {
            var received = new JwtMessageReceivedContext(Context, Scheme, Options);
            await events.MessageReceived(received).ConfigureAwait(false);
            if (received.Result is not null)
            {
                return received.Result;
            }

            token = received.Token;
        }

        if (token is null)
        {
            var headers = Request.Headers.Authorization;
            if (headers.Count > 1)
            {
                return RefuseRequest("several Authorization headers");
            }

            if (headers.Count == 1 && TryGetBearer(headers[0], out var start, out var length))
            {
                var header = headers[0]!;
                if (length == 0 || header.AsSpan(start, length).IndexOfAny(' ', '\t', ',') >= 0)
                {
                    return RefuseRequest("the Bearer credentials are empty or not a single token");
                }

                bearerHeader = header;
                bearerStart = start;
                bearerLength = length;
            }

            if (bearerHeader is null && Options.CookieName is { } cookieName && Request.Cookies.TryGetValue(cookieName, out var cookie) && !string.IsNullOrEmpty(cookie))
            {
                token = cookie;
            }

            if (token is null && bearerHeader is null)
            {
                Metrics?.AuthenticationAttempt(Scheme.Name, "none");
                return AuthenticateResult.NoResult();
            }
        }

        AccessTokenValidationResult result;
        try
        {
            var service = JwtSchemes.GetTokenService(Context.RequestServices, Scheme.Name);
            if (service is JwtTokenService { Metrics: { } metrics })
            {
                _metrics = metrics;
                _metricsResolved = true;
            }

            if (bearerHeader is null)
            {
                result = await service.ValidateAsync(token!, Context.RequestAborted).ConfigureAwait(false);
            }
            else if (service is not JwtTokenService own)
            {
                result = await service.ValidateAsync(bearerHeader.Substring(bearerStart, bearerLength), Context.RequestAborted).ConfigureAwait(false);
            }
            else if (own.TryValidate(
                bearerHeader.AsSpan(bearerStart, bearerLength), Context.RequestAborted, out var error, out var principal, out var tokenId, out var expiresAt, out var pending))
            {
                // AuthKit's own service reads the header's characters in place; a valid token with the default events needs no result object.
                if (error == TokenValidationError.None && defaultEvents && ReferenceEquals(events.OnTokenValidated, s_defaultEvents.OnTokenValidated))
                {
                    return Validated(principal!, tokenId, expiresAt);
                }

                result = error == TokenValidationError.None
                    ? AccessTokenValidationResult.Success(principal!, tokenId, expiresAt)
                    : AccessTokenValidationResult.Failure(error);
            }
            else
            {
                result = await pending.ConfigureAwait(false);
            }
        }
        catch (SessionStoreException ex)
        {
            // The token could not be checked against the denylist: neither valid nor refused. Logged (rate-limited) by the token service.
            _storeFailed = true;
            JwtStoreUnavailable.Mark(Context);
            Metrics?.AuthenticationAttempt(Scheme.Name, "error");
            return AuthenticateResult.Fail(ex);
        }

        if (!result.Succeeded)
        {
            _failure = result.Error;
            Logger.TokenRefused(result.Error);
            Metrics?.AuthenticationAttempt(Scheme.Name, "failure");
            var failed = new JwtAuthenticationFailedContext(Context, Scheme, Options, result.Error);
            await Events.AuthenticationFailed(failed).ConfigureAwait(false);
            return failed.Result ?? AuthenticateResult.Fail(Describe(result.Error));
        }

        if (defaultEvents && ReferenceEquals(events.OnTokenValidated, s_defaultEvents.OnTokenValidated))
        {
            return Validated(result.Principal!, result.TokenId, result.ExpiresAt);
        }

        var validated = new JwtTokenValidatedContext(Context, Scheme, Options, result);
        validated.Properties.ExpiresUtc = result.ExpiresAt;
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is not null)
        {
            if (validated.Result.Failure is not null)
            {
                _failure = TokenValidationError.Revoked;
                Logger.TokenRefusedByEvent(validated.Result.Failure.Message);
            }

            return validated.Result;
        }

        if (validated.Principal is null)
        {
            _failure = TokenValidationError.Revoked;
            return AuthenticateResult.Fail("The OnTokenValidated event removed the principal.");
        }

        Logger.TokenValidated(result.TokenId);
        Metrics?.AuthenticationAttempt(Scheme.Name, "success");
        validated.Success();
        return validated.Result!;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (_storeFailed)
        {
            JwtStoreUnavailable.Write(Response);
            return;
        }

        var context = new JwtChallengeContext(Context, Scheme, Options, properties) { Failure = _failure };
        if (_invalidRequest is not null)
        {
            context.Error = InvalidRequest;
            context.StatusCode = StatusCodes.Status400BadRequest;
            context.ErrorDescription = Options.IncludeErrorDetails ? "The request is malformed: " + _invalidRequest + "." : null;
        }
        else if (_failure is { } failure)
        {
            context.Error = InvalidToken;
            context.ErrorDescription = Options.IncludeErrorDetails ? Describe(failure) : null;
        }

        await Events.Challenge(context).ConfigureAwait(false);
        if (context.Handled || Response.HasStarted)
        {
            return;
        }

        Response.StatusCode = context.StatusCode;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, BuildChallenge(Options.Realm, context.Error, context.ErrorDescription, scope: null));
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var context = new JwtForbiddenContext(Context, Scheme, Options, properties);
        await Events.Forbidden(context).ConfigureAwait(false);
        if (context.Handled || Response.HasStarted)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, BuildChallenge(Options.Realm, InsufficientScope, null, context.Scope));
    }

    private AuthenticateResult RefuseRequest(string reason)
    {
        _invalidRequest = reason;
        Logger.InvalidRequest(reason);
        Metrics?.AuthenticationAttempt(Scheme.Name, "failure");
        return AuthenticateResult.Fail("Malformed bearer request: " + reason + ".");
    }

    /// <summary>Where the token of a <c>Bearer</c> header value lies in it (the value is not copied).</summary>
    private static bool TryGetBearer(string? header, out int start, out int length)
    {
        start = 0;
        length = 0;
        if (header is null)
        {
            return false;
        }

        var all = header.AsSpan();
        var span = all.Trim();
        if (!span.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) || (span.Length > 6 && span[6] != ' '))
        {
            return false;
        }

        var leading = all.Length - all.TrimStart().Length;
        var token = span[6..];
        var trimmedStart = token.Length - token.TrimStart(' ').Length;
        token = token.Trim(' ');
        start = leading + 6 + trimmedStart;
        length = token.Length;
        return true;
    }

    /// <summary>What <c>JwtTokenValidatedContext.Success()</c> builds, without the context nobody reads (the default events).</summary>
    private AuthenticateResult Validated(ClaimsPrincipal principal, string? tokenId, DateTimeOffset? expiresAt)
    {
        Logger.TokenValidated(tokenId);
        Metrics?.AuthenticationAttempt(Scheme.Name, "success");
        return AuthenticateResult.Success(new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = expiresAt }, Scheme.Name));
    }

    internal static string Describe(TokenValidationError error) => error switch
    {
        TokenValidationError.Malformed => "The token is malformed",
        TokenValidationError.BadSignature => "The token signature is invalid",
        TokenValidationError.UnknownKey => "The token was signed with an unknown key",
        TokenValidationError.AlgorithmNotAllowed => "The token algorithm is not allowed",
        TokenValidationError.BadType => "The token type is not accepted",
        TokenValidationError.Expired => "The token expired",
        TokenValidationError.NotYetValid => "The token is not valid yet",
        TokenValidationError.BadIssuer => "The token issuer is invalid",
        TokenValidationError.BadAudience => "The token audience is invalid",
        TokenValidationError.Revoked => "The token was revoked",
        _ => "The token is invalid",
    };

    private static string BuildChallenge(string? realm, string? error, string? description, string? scope)
    {
        var builder = new StringBuilder("Bearer");
        var first = true;
        Append(builder, ref first, "realm", realm);
        Append(builder, ref first, "error", error);
        Append(builder, ref first, "error_description", description);
        Append(builder, ref first, "scope", scope);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ref bool first, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        builder.Append(first ? " " : ", ").Append(name).Append("=\"");
        foreach (var c in value)
        {
            // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E; anything else is dropped.
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
        first = false;
    }
}
