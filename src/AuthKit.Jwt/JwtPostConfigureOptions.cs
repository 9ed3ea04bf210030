using System.Security.Cryptography;
using AuthKit.Jwt.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Jwt;

/// <summary>
/// Completes <see cref="JwtAuthenticationOptions"/>: the audience defaults to the issuer, a development key is generated when
/// allowed and needed, and the keys are resolved once (problems are reported by the validator, at start-up).
/// </summary>
internal sealed class JwtPostConfigureOptions(IServiceProvider services) : IPostConfigureOptions<JwtAuthenticationOptions>
{
    private const string DevelopmentKeyFileName = "jwt-keys.json";

    public void PostConfigure(string? name, JwtAuthenticationOptions options)
    {
        var section = JwtAuthenticationDefaults.ConfigurationSectionFor(name);
        options.Audience ??= options.Issuer;
        var developmentErrors = new List<string>();
        var environment = services.GetService(typeof(IHostEnvironment)) as IHostEnvironment;
        var managed = (services.GetService(typeof(IOptions<ManagedKeyRingOptions>)) as IOptions<ManagedKeyRingOptions>)?.Value.Enabled == true;
        options.UsesManagedKeys = managed && options.SigningKeys.Count == 0 && options.Keys.Count == 0;
        if (!options.UsesManagedKeys && options.SigningKeys.Count == 0 && options.Keys.Count == 0 && options.GenerateDevelopmentKeys && environment?.IsDevelopment() == true)
        {
            var authKit = (services.GetService(typeof(IOptions<AuthKitOptions>)) as IOptions<AuthKitOptions>)?.Value;
            var loggerFactory = services.GetService(typeof(ILoggerFactory)) as ILoggerFactory;
            var logger = loggerFactory?.CreateLogger("AuthKit.Jwt") ?? NullLogger.Instance;
            try
            {
                options.SigningKeys.Add(LoadOrCreateDevelopmentKey(DevelopmentKeyPath(authKit, name), logger));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                developmentErrors.Add($"{section}: the development key file cannot be used ({ex.Message}). Delete it to generate a new one, or configure {section}:Keys.");
            }
        }

        var errors = new List<string>();
        options.KeySet = JwtKeySet.Build(options, section, errors);
        options.KeyErrors.Clear();
        options.KeyErrors.AddRange(developmentErrors);
        options.KeyErrors.AddRange(errors);
    }

    /// <summary>Where a scheme's development key is kept: <c>jwt-keys.json</c> for the default scheme, <c>jwt-keys.{scheme}.json</c> for another.</summary>
    internal static string DevelopmentKeyPath(AuthKitOptions? authKit, string? scheme)
    {
        var fileName = DevelopmentKeyFileName;
        if (!string.IsNullOrEmpty(scheme) && scheme != JwtAuthenticationDefaults.AuthenticationScheme)
        {
            var safe = string.Concat(scheme.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
            fileName = "jwt-keys." + safe + ".json";
        }

        if (!string.IsNullOrWhiteSpace(authKit?.KeyFile))
        {
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(authKit.KeyFile))!, fileName);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Path.GetTempPath(), "authkit-" + Environment.UserName);
        }

        return Path.Combine(root, "AuthKit", authKit?.ApplicationName ?? "authkit", fileName);
    }

    internal static JwtSigningKey LoadOrCreateDevelopmentKey(string path, ILogger logger)
    {
        if (File.Exists(path))
        {
            logger.DevelopmentKeyLoaded(path);
            return JwtSigningKey.FromJwk(File.ReadAllText(path));
        }

        var dir = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = JwtSigningKey.Generate("dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), JwtAlgorithms.ES256);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, fileOptions))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ToPrivateJwk());
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
                return JwtSigningKey.FromJwk(File.ReadAllText(path));
            }
        }
        finally
        {
            File.Delete(temp);
        }

        logger.DevelopmentKeyCreated(key.KeyId, key.Algorithm, path);
        return key;
    }
}
