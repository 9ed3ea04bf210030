using System.Security.Cryptography;
using System.Text;

namespace AuthKit.Sessions.File.Internal;

/// <summary>
/// Where things live in the session directory:
/// <c>records/{key}.session</c> (one file per record, its modification time set to the record's expiry),
/// <c>users/{sha256(userId)}/{key}</c> (one empty marker per session of a user: the exact per-user index),
/// <c>locks/{00..ff}.lock</c> (256 lock stripes, chosen by the key's first byte, never deleted),
/// <c>tmp/{key}.{random}.tmp</c> (writes in progress, renamed into <c>records/</c>).
/// </summary>
internal sealed class FileStoreLayout
{
    public const string RecordExtension = ".session";
    public const string TempExtension = ".tmp";
    public const int StripeCount = 256;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string[] _lockPaths = new string[StripeCount];

    public FileStoreLayout(string directory)
    {
        Root = Path.GetFullPath(directory);
        Records = Path.Combine(Root, "records");
        Users = Path.Combine(Root, "users");
        Locks = Path.Combine(Root, "locks");
        Temp = Path.Combine(Root, "tmp");
        for (var i = 0; i < StripeCount; i++)
        {
            _lockPaths[i] = Path.Combine(Locks, i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + ".lock");
        }
    }

    public string Root { get; }

    public string Records { get; }

    public string Users { get; }

    public string Locks { get; }

    public string Temp { get; }

    /// <summary>Creates the directories (owner-only on Unix) and writes and deletes a probe file; throws what the file system throws.</summary>
    public static void Probe(string directory)
    {
        var layout = new FileStoreLayout(directory);
        layout.EnsureDirectories();
        var probe = Path.Combine(layout.Temp, ".probe-" + Guid.NewGuid().ToString("N") + TempExtension);
        System.IO.File.WriteAllBytes(probe, [1]);
        System.IO.File.Delete(probe);
    }

    public void EnsureDirectories()
    {
        CreateDirectory(Root);
        CreateDirectory(Records);
        CreateDirectory(Users);
        CreateDirectory(Locks);
        CreateDirectory(Temp);
    }

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, OwnerOnly);
        }
    }

    /// <summary>Whether users other than the owner can read or enter the root directory (Unix only).</summary>
    public bool IsOpenToOthers()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var mode = System.IO.File.GetUnixFileMode(Root);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) != 0;
    }

    public string RecordPath(string keyHex) => Path.Combine(Records, keyHex + RecordExtension);

    public string UserDirectory(string userId) => Path.Combine(Users, UserDigest(userId));

    public static string MarkerPath(string userDirectory, string keyHex) => Path.Combine(userDirectory, keyHex);

    public string TempPath(string keyHex) => Path.Combine(Temp, keyHex + "." + Guid.NewGuid().ToString("N") + TempExtension);

    public string LockPath(int stripe) => _lockPaths[stripe];

    /// <summary>The stripe of a key: its first byte, read from the first two hexadecimal characters.</summary>
    public static int StripeOf(ReadOnlySpan<char> keyHex) => (HexValue(keyHex[0]) << 4) | HexValue(keyHex[1]);

    /// <summary>A user's ID never appears in a file name: the index directory is named by its SHA-256 digest.</summary>
    public static string UserDigest(string userId) => SessionStoreKeys.UserDigest(userId);

    /// <summary>Reads the key out of <c>{key}.session</c>, <c>{key}</c> or <c>{key}.{random}.tmp</c>.</summary>
    public static bool TryParseKey(ReadOnlySpan<char> fileName, out SessionKey key, out string keyHex)
    {
        key = default;
        keyHex = string.Empty;
        if (fileName.Length < SessionKey.Length * 2)
        {
            return false;
        }

        var rest = fileName[(SessionKey.Length * 2)..];
        if (rest.Length > 0 && rest[0] != '.')
        {
            return false;
        }

        keyHex = fileName[..(SessionKey.Length * 2)].ToString();
        return SessionKey.TryParse(keyHex, out key) && string.Equals(keyHex, key.DigestHex(), StringComparison.Ordinal);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => 0,
    };
}
