using System.Buffers.Text;
using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AuthKit.Jwt;

namespace AuthKit.Tool;

/// <summary><c>authkit key new</c>: a new key, printed as configuration and nowhere else.</summary>
internal static class KeyCommands
{
    private const string Cookies = "cookies";
    private const string Jwt = "jwt";

    private static readonly string[] s_algorithms =
    [
        JwtAlgorithms.HS256, JwtAlgorithms.HS384, JwtAlgorithms.HS512,
        JwtAlgorithms.RS256, JwtAlgorithms.RS384, JwtAlgorithms.RS512,
        JwtAlgorithms.PS256, JwtAlgorithms.PS384, JwtAlgorithms.PS512,
        JwtAlgorithms.ES256, JwtAlgorithms.ES384, JwtAlgorithms.ES512,
    ];

    public static Command Create()
    {
        var purpose = new Option<string>("--purpose")
        {
            Description = "What the key is for: 'cookies' (the key ring: signed cookies and the Basic credential cache, AuthKit:Keys) or 'jwt' (token signing, AuthKit:Jwt:Keys). Default: jwt when --alg is given, else cookies.",
        };
        purpose.AcceptOnlyFromAmong(Cookies, Jwt);
        var alg = new Option<string>("--alg")
        {
            Description = "The JWT algorithm the key is bound to (HS256 by default; RSA-2048 for RS/PS, the algorithm's curve for ES). Only with --purpose jwt.",
        };
        alg.AcceptOnlyFromAmong(s_algorithms);
        var keyIdOption = new Option<string>("--key-id")
        {
            Description = "The key's ID (letters, digits, '.', '_', '-'; at most 64). Default: k followed by the UTC time, as AuthKit's own generated keys.",
        };
        var index = new Option<int>("--index")
        {
            Description = "The position in the Keys list (0 by default); give the next free index to add a key beside the current ones when rotating.",
            DefaultValueFactory = _ => 0,
        };
        var format = new Option<string>("--format")
        {
            Description = "json (for appsettings.json), env (NAME=value lines) or both (default).",
            DefaultValueFactory = _ => "both",
        };
        format.AcceptOnlyFromAmong("json", "env", "both");

        var @new = new Command("new", "Creates a key from the OS random generator and prints it as configuration (JSON and environment variables) on standard output only; nothing is written anywhere else.")
        {
            purpose, alg, keyIdOption, index, format,
        };
        @new.SetAction(parse =>
        {
            var algorithm = parse.GetValue(alg);
            var what = parse.GetValue(purpose) ?? (algorithm is null ? Cookies : Jwt);
            if (what == Cookies && algorithm is not null)
            {
                throw ToolException.Usage("--alg is for JWT keys; cookie keys are always HMAC-SHA256. Drop --alg, or give --purpose jwt.");
            }

            var keyId = parse.GetValue(keyIdOption) ?? "k" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            if (!AuthKitKey.IsValidKeyId(keyId))
            {
                throw ToolException.Usage($"--key-id '{keyId}' is not a valid key ID: use letters, digits, '.', '_' and '-', at most 64.");
            }

            var position = parse.GetValue(index);
            if (position is < 0 or > 99)
            {
                throw ToolException.Usage($"--index {position} is out of range: give 0 for the first key, 1 for a second one, and so on.");
            }

            var settings = what == Cookies ? CookieKey(keyId, position) : JwtKey(keyId, algorithm ?? JwtAlgorithms.HS256, position);
            var shape = parse.GetValue(format);
            if (shape is "json" or "both")
            {
                Console.Out.WriteLine(ConfigurationWriter.ToJson(settings));
            }

            if (shape == "both")
            {
                Console.Out.WriteLine();
            }

            if (shape is "env" or "both")
            {
                Console.Out.Write(ConfigurationWriter.ToEnvironment(settings));
            }

            Console.Error.WriteLine(what == Cookies
                ? $"New key '{keyId}' for AuthKit:Keys:{position}. Every instance of the app needs the same keys; keep the secret out of source control (environment, user secrets, a vault)."
                : $"New {algorithm ?? JwtAlgorithms.HS256} key '{keyId}' for AuthKit:Jwt:Keys:{position}. Keep it out of source control (environment, user secrets, a vault).");
            return ExitCodes.Success;
        });

        return new Command("key", "Creates signing keys for AuthKit's configuration.") { @new };
    }

    private static List<KeyValuePair<string, string>> CookieKey(string keyId, int index)
    {
        var prefix = $"{AuthKitDefaults.ConfigurationSection}:{nameof(AuthKitOptions.Keys)}:{index}:";
        return
        [
            new(prefix + nameof(AuthKitKeyOptions.KeyId), keyId),
            new(prefix + nameof(AuthKitKeyOptions.Secret), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
        ];
    }

    private static List<KeyValuePair<string, string>> JwtKey(string keyId, string algorithm, int index)
    {
        var prefix = $"{JwtAuthenticationDefaults.ConfigurationSection}:{nameof(JwtAuthenticationOptions.Keys)}:{index}:";
        var settings = new List<KeyValuePair<string, string>>
        {
            new(prefix + nameof(JwtKeyOptions.KeyId), keyId),
            new(prefix + nameof(JwtKeyOptions.Algorithm), algorithm),
        };
        if (algorithm.StartsWith("HS", StringComparison.Ordinal))
        {
            // The hash size: 32, 48 or 64 bytes.
            var size = int.Parse(algorithm.AsSpan(2), CultureInfo.InvariantCulture) / 8;
            settings.Add(new(prefix + nameof(JwtKeyOptions.Secret), Convert.ToBase64String(RandomNumberGenerator.GetBytes(size))));
        }
        else
        {
            // A private JWK is one line, so the same value works in JSON, .env files and container environments.
            settings.Add(new(prefix + nameof(JwtKeyOptions.Jwk), PrivateJwk(keyId, algorithm)));
        }

        return settings;
    }

    private static string PrivateJwk(string keyId, string algorithm)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (algorithm.StartsWith("ES", StringComparison.Ordinal))
            {
                var (curve, name) = algorithm switch
                {
                    JwtAlgorithms.ES256 => (ECCurve.NamedCurves.nistP256, "P-256"),
                    JwtAlgorithms.ES384 => (ECCurve.NamedCurves.nistP384, "P-384"),
                    _ => (ECCurve.NamedCurves.nistP521, "P-521"),
                };
                using var ecdsa = ECDsa.Create(curve);
                var p = ecdsa.ExportParameters(includePrivateParameters: true);
                w.WriteString("kty", "EC");
                w.WriteString("kid", keyId);
                w.WriteString("alg", algorithm);
                w.WriteString("use", "sig");
                w.WriteString("crv", name);
                w.WriteString("x", Base64Url.EncodeToString(p.Q.X));
                w.WriteString("y", Base64Url.EncodeToString(p.Q.Y));
                w.WriteString("d", Base64Url.EncodeToString(p.D));
                CryptographicOperations.ZeroMemory(p.D);
            }
            else
            {
                using var rsa = RSA.Create(2048);
                var p = rsa.ExportParameters(includePrivateParameters: true);
                w.WriteString("kty", "RSA");
                w.WriteString("kid", keyId);
                w.WriteString("alg", algorithm);
                w.WriteString("use", "sig");
                w.WriteString("n", Base64Url.EncodeToString(p.Modulus));
                w.WriteString("e", Base64Url.EncodeToString(p.Exponent));
                w.WriteString("d", Base64Url.EncodeToString(p.D));
                w.WriteString("p", Base64Url.EncodeToString(p.P));
                w.WriteString("q", Base64Url.EncodeToString(p.Q));
                w.WriteString("dp", Base64Url.EncodeToString(p.DP));
                w.WriteString("dq", Base64Url.EncodeToString(p.DQ));
                w.WriteString("qi", Base64Url.EncodeToString(p.InverseQ));
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
