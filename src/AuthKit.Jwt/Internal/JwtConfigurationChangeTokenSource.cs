using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Jwt.Internal;

/// <summary>
/// Tells the options monitor to rebuild a scheme's options when the app's configuration reloads, so keys, issuer and the other settings
/// change without a restart. A no-op for an app without <see cref="IConfiguration"/>.
/// </summary>
internal sealed class JwtConfigurationChangeTokenSource(IConfiguration? configuration, string name) : IOptionsChangeTokenSource<JwtAuthenticationOptions>
{
    private static readonly IChangeToken s_never = new CancellationChangeToken(CancellationToken.None);

    public string Name => name;

    public IChangeToken GetChangeToken() => configuration?.GetReloadToken() ?? s_never;
}
