using System.Security.Cryptography;

namespace AuthKit.Samples;

/// <summary>Makes the sample's JWT signing key once and keeps it in the data folder (only when none is configured).</summary>
internal static class SampleKeys
{
    public static string EnsureEcdsaKeyFile(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            // Another instance may have made one meanwhile: keep theirs.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        finally
        {
            File.Delete(temp);
        }

        return path;
    }
}
