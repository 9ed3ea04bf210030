using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>
/// The handler of the <c>AuthKit</c> scheme: forwards every operation to the scheme its <see cref="PolicySchemeOptions"/> name
/// (<see cref="AuthKitSchemeSelector"/> by default), like the framework's <see cref="PolicySchemeHandler"/>, which it replaces
/// for speed: authentication calls the target's handler directly instead of going through
/// <see cref="IAuthenticationService"/> a second time. The outer call still transforms the principal (once) and wraps the
/// result; the target's handler is the request's one (<see cref="IAuthenticationHandlerProvider"/> caches it), so a later
/// <c>AuthenticateAsync(target)</c> gets the same, already computed, result.
/// </summary>
/// <remarks>
/// The framework's handler builds a logger, an events object and a second ticket and result per request; this one keeps
/// three fields. Challenge, forbid, sign-in and sign-out are rare and go through the authentication service as before.
/// </remarks>
internal sealed class AuthKitSchemeHandler(IOptionsMonitor<PolicySchemeOptions> optionsMonitor) : IAuthenticationSignInHandler
{
    private AuthenticationScheme _scheme = null!;
    private HttpContext _context = null!;
    private PolicySchemeOptions _options = null!;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(context);
        _scheme = scheme;
        _context = context;
        _options = optionsMonitor.Get(scheme.Name);
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync()
    {
        var target = Target(_options.ForwardAuthenticate);
        var handler = _context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>().GetHandlerAsync(_context, target);

        // The provider finishes at once (handlers are created, not awaited): the target's task is returned as it is, no state machine.
        return handler.IsCompletedSuccessfully ? Authenticate(handler.Result, target) : AuthenticateAsync(handler, target);
    }

    private async Task<AuthenticateResult> AuthenticateAsync(Task<IAuthenticationHandler?> handler, string target) =>
        await Authenticate(await handler.ConfigureAwait(false), target).ConfigureAwait(false);

    private Task<AuthenticateResult> Authenticate(IAuthenticationHandler? handler, string target) =>
        handler?.AuthenticateAsync()
        ?? throw new InvalidOperationException($"The '{_scheme.Name}' scheme forwards to '{target}', and no authentication handler is registered for that scheme.");

    public Task ChallengeAsync(AuthenticationProperties? properties) => _context.ChallengeAsync(Target(_options.ForwardChallenge), properties);

    public Task ForbidAsync(AuthenticationProperties? properties) => _context.ForbidAsync(Target(_options.ForwardForbid), properties);

    public Task SignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties) => _context.SignInAsync(Target(_options.ForwardSignIn), user, properties);

    public Task SignOutAsync(AuthenticationProperties? properties) => _context.SignOutAsync(Target(_options.ForwardSignOut), properties);

    /// <summary>As <c>AuthenticationHandler.ResolveTarget</c>: the operation's own forward, else the selector, else the default; never itself.</summary>
    private string Target(string? forward)
    {
        var target = forward ?? _options.ForwardDefaultSelector?.Invoke(_context) ?? _options.ForwardDefault;
        if (target is null || string.Equals(target, _scheme.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The '{_scheme.Name}' scheme only forwards, and no scheme to forward to was found.");
        }

        return target;
    }
}
