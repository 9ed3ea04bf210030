using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Internal.Keys;

/// <summary>
/// The key ring of <c>AuthKit:Keys</c> (or the generated key file), rebuilt when the configuration reloads: new keys verify at
/// once, the active key follows <c>AuthKit:ActiveKeyId</c>, removed keys stop verifying. A reload that is not valid is refused
/// and logged, and the previous ring stays in force whole.
/// </summary>
internal sealed class ConfiguredKeyRing : DynamicKeyRing, IDisposable
{
    private readonly IOptionsFactory<AuthKitOptions> _factory;
    private readonly ILogger _logger;
    private readonly AuthKitMetrics? _metrics;
    private readonly IDisposable? _subscription;
    private AuthKitKeyRing _ring;
    private string _fingerprint;
    private bool _fromConfiguration;

    public ConfiguredKeyRing(IOptionsFactory<AuthKitOptions> factory, AuthKitOptions initial, IConfiguration? configuration, TimeProvider time, ILogger logger, AuthKitMetrics? metrics)
    {
        _factory = factory;
        _logger = logger;
        _metrics = metrics;
        _ring = KeyRingFactory.Create(initial, time, logger);
        _fingerprint = Fingerprint(initial);
        _fromConfiguration = initial.Keys.Count > 0;
        if (configuration is not null)
        {
            _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
        }
    }

    public override IAuthKitKeyRing Current => Volatile.Read(ref _ring);

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Rebuilds the ring from the configuration as it is now; keeps the current one when the new one is not valid.</summary>
    internal void Reload()
    {
        AuthKitOptions options;
        try
        {
            options = _factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException ex)
        {
            Refuse(string.Join(" ", ex.Failures));
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            Refuse(ex.Message);
            return;
        }

        if (options.Keys.Count == 0)
        {
            if (_fromConfiguration)
            {
                // A configuration file that fails to parse on reload reads as empty: never fall back to other keys because of it.
                Refuse("AuthKit:Keys is now empty (a configuration file that no longer parses reads as empty). Restore the keys; to move to the generated key file instead, restart the app.");
            }

            return;
        }

        var fingerprint = Fingerprint(options);
        if (fingerprint == _fingerprint)
        {
            return;
        }

        AuthKitKeyRing ring;
        try
        {
            ring = new AuthKitKeyRing(KeyRingFactory.ConfiguredKeys(options), options.ActiveKeyId);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Refuse(ex.Message);
            return;
        }

        var previousActive = _ring.ActiveKey.KeyId;
        Volatile.Write(ref _ring, ring);
        _fingerprint = fingerprint;
        _fromConfiguration = true;
        _logger.KeyRingReloaded(string.Join(", ", ring.Keys.Select(k => k.KeyId)), ring.ActiveKey.KeyId);
        _metrics?.KeyEvent("cookies", "reloaded");
        if (previousActive != ring.ActiveKey.KeyId)
        {
            _metrics?.KeyEvent("cookies", "activated");
        }
    }

    private void Refuse(string problems)
    {
        _logger.KeyConfigurationRefused(_ring.ActiveKey.KeyId, problems);
        _metrics?.KeyEvent("cookies", "refused");
    }

    /// <summary>What identifies a configured ring: its IDs, a digest of each secret and the active ID (no secret is kept).</summary>
    private static string Fingerprint(AuthKitOptions options)
    {
        if (options.Keys.Count == 0)
        {
            return string.Empty;
        }

        var text = string.Join("\n", options.Keys.Select(k => k.KeyId + "=" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(k.Secret))))) + "\n" + options.ActiveKeyId;
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }
}
