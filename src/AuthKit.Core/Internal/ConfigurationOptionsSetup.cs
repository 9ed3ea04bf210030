using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Binds options from a configuration section when the app has an <see cref="IConfiguration"/>; a no-op otherwise.</summary>
/// <remarks><paramref name="bind"/> comes from a call site that knows the concrete type, where the binder source generator intercepts it.</remarks>
internal sealed class ConfigurationOptionsSetup<TOptions>(IConfiguration? configuration, string section, string name, Action<IConfiguration, TOptions> bind) : IConfigureNamedOptions<TOptions>
    where TOptions : class
{
    public void Configure(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName ?? Options.DefaultName, name, StringComparison.Ordinal) || configuration is null)
        {
            return;
        }

        var s = configuration.GetSection(section);
        if (s.Exists())
        {
            bind(s, options);
        }
    }

    public void Configure(TOptions options) => Configure(Options.DefaultName, options);
}

/// <summary>Marks that a (options type, name) pair is already bound, so registering twice is harmless.</summary>
internal sealed class ConfigurationOptionsMarker<TOptions>(string name)
{
    public string Name { get; } = name;
}
