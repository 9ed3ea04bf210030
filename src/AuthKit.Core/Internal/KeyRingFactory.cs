using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthKit.Internal;

/// <summary>Builds the application's key ring from options, or from a generated key file.</summary>
internal static class KeyRingFactory
{
    public static AuthKitKeyRing Create(AuthKitOptions o, TimeProvider time, ILogger logger)
    {
        if (o.Keys.Count > 0)
        {
            return new AuthKitKeyRing(ConfiguredKeys(o), o.ActiveKeyId);
        }

        var path = ResolveKeyFile(o);
        var model = LoadOrCreate(path, time);
        logger.UsingKeyFile(path);
        return new AuthKitKeyRing(model.Keys.Select(k => new AuthKitKey(k.Id, Convert.FromBase64String(k.Secret))), model.ActiveKeyId);
    }

    /// <summary>The keys of <c>AuthKit:Keys</c> (validated options: every secret is base64 of at least 32 bytes).</summary>
    public static List<AuthKitKey> ConfiguredKeys(AuthKitOptions o) => [.. o.Keys.Select(k => new AuthKitKey(k.KeyId, Convert.FromBase64String(k.Secret)))];

    public static string ResolveKeyFile(AuthKitOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.KeyFile))
        {
            return Path.GetFullPath(o.KeyFile);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Path.GetTempPath(), "authkit-" + Environment.UserName);
        }

        return Path.Combine(root, "AuthKit", o.ApplicationName, "keys.json");
    }

    private static KeyFileModel LoadOrCreate(string path, TimeProvider time)
    {
        if (TryLoad(path) is { } existing)
        {
            return existing;
        }

        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var id = "k" + time.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var model = new KeyFileModel
        {
            ActiveKeyId = id,
            Keys = [new KeyFileEntry { Id = id, Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), CreatedAt = time.GetUtcNow() }],
        };

        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, model, KeyFileJsonContext.Default.KeyFileModel);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                // Another process may have won the race: theirs is kept, ours is dropped.
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return TryLoad(path) ?? throw new InvalidOperationException($"AuthKit: the key file '{path}' is unreadable. Delete it, or configure AuthKit:Keys.");
            }
        }
        finally
        {
            File.Delete(temp);
        }

        return model;
    }

    private static KeyFileModel? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        KeyFileModel? model;
        try
        {
            using var stream = File.OpenRead(path);
            model = JsonSerializer.Deserialize(stream, KeyFileJsonContext.Default.KeyFileModel);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"AuthKit: the key file '{path}' is not valid JSON. Delete it to generate a new one, or configure AuthKit:Keys.", ex);
        }

        if (model is null || model.Keys.Count == 0 || model.Keys.Any(k => !AuthKitKey.IsValidKeyId(k.Id) || !IsValidSecret(k.Secret)))
        {
            throw new InvalidOperationException($"AuthKit: the key file '{path}' holds no valid key. Delete it to generate a new one, or configure AuthKit:Keys.");
        }

        return model;
    }

    public static bool IsValidSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret, buffer, out var written) && written >= AuthKitKey.MinimumSecretLength;
    }
}
