using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace AuthKit.Jwt.Internal;

/// <summary>The resolved, immutable keys of one scheme: every key that validates, and the one that signs.</summary>
internal sealed class JwtKeySet
{
    private JwtKeySet(JwtSigningKey[] keys, JwtSigningKey? active, string accessTokenType)
    {
        Keys = keys;
        Active = active;
        if (active is not null)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("alg", active.Algorithm);
                writer.WriteString("kid", active.KeyId);
                writer.WriteString("typ", accessTokenType);
                writer.WriteEndObject();
            }

            EncodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(buffer.WrittenSpan));
        }
        else
        {
            EncodedHeader = [];
        }
    }

    public JwtSigningKey[] Keys { get; }

    public JwtSigningKey? Active { get; }

    /// <summary>The base64url header of tokens the active key signs (ASCII bytes).</summary>
    public byte[] EncodedHeader { get; }

    /// <summary>The JSON Web Key Set of the public keys (<c>{"keys":[…]}</c>, UTF-8), built once; HMAC keys are never in it.</summary>
    public byte[] JwksJson => _jwks ??= BuildJwks();

    private byte[]? _jwks;

    /// <summary>
    /// Resolves the keys of <paramref name="options"/>; problems are added to <paramref name="errors"/>, each naming the setting under
    /// <paramref name="section"/> (<c>AuthKit:Jwt</c>, or the scheme's own section).
    /// </summary>
    public static JwtKeySet Build(JwtAuthenticationOptions options, string section, List<string> errors) => Build(options, section, errors, [], null);

    /// <summary>
    /// As <see cref="Build(JwtAuthenticationOptions, string, List{string})"/>, plus the scheme's managed keys (announced, active and retired:
    /// all verify); <paramref name="managedActive"/> signs.
    /// </summary>
    public static JwtKeySet Build(JwtAuthenticationOptions options, string section, List<string> errors, IReadOnlyList<JwtSigningKey> managed, JwtSigningKey? managedActive)
    {
        var keys = new List<JwtSigningKey>(options.SigningKeys.Count + options.Keys.Count + managed.Count);
        keys.AddRange(managed);
        var retired = new HashSet<JwtSigningKey>(ReferenceEqualityComparer.Instance);
        foreach (var key in options.SigningKeys)
        {
            if (key is null)
            {
                errors.Add($"{section}: SigningKeys holds a null key. Remove it.");
                continue;
            }

            keys.Add(key);
        }

        for (var i = 0; i < options.Keys.Count; i++)
        {
            var k = options.Keys[i];
            if (TryLoad(k, section, i, errors) is { } key)
            {
                keys.Add(key);
                if (k.Retired)
                {
                    retired.Add(key);
                }
            }
        }

        for (var i = 0; i < keys.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (keys[i].KeyId == keys[j].KeyId && keys[i].Algorithm == keys[j].Algorithm)
                {
                    errors.Add($"{section}:Keys: the key '{keys[i].KeyId}' ({keys[i].Algorithm}) appears twice. Give each key its own KeyId.");
                }
            }
        }

        JwtSigningKey? active = null;
        if (managedActive is not null)
        {
            active = managedActive;
        }
        else if (!string.IsNullOrEmpty(options.ActiveKeyId))
        {
            foreach (var key in keys)
            {
                if (key.KeyId == options.ActiveKeyId && key.CanSign && !retired.Contains(key))
                {
                    active = key;
                    break;
                }
            }

            if (active is null && keys.Count > 0)
            {
                errors.Add($"{section}:ActiveKeyId '{options.ActiveKeyId}' names no key that can sign (a secret or private key that is not retired). Set it to the KeyId of such a key, or remove it to use the first one.");
            }
        }
        else
        {
            foreach (var key in keys)
            {
                if (key.CanSign && !retired.Contains(key))
                {
                    active = key;
                    break;
                }
            }
        }

        return new JwtKeySet([.. keys], active, options.AccessTokenType);
    }

    private static JwtSigningKey? TryLoad(JwtKeyOptions k, string section, int index, List<string> errors)
    {
        var setting = $"{section}:Keys:{index}";
        var sources = (k.Secret is not null ? 1 : 0) + (k.Pem is not null ? 1 : 0) + (k.PemFile is not null ? 1 : 0) + (k.Jwk is not null ? 1 : 0);
        if (sources != 1)
        {
            errors.Add($"{setting}: set exactly one of Secret (base64, for HS256/384/512), Pem, PemFile or Jwk; {sources} are set.");
            return null;
        }

        if (k.Jwk is null)
        {
            if (string.IsNullOrWhiteSpace(k.KeyId))
            {
                errors.Add($"{setting}:KeyId is empty. Give the key an ID (for example \"2026-01\"); tokens name it in their header so keys can rotate.");
                return null;
            }

            if (!JwtAlgorithm.TryParse(k.Algorithm, out _))
            {
                errors.Add($"{setting}:Algorithm '{k.Algorithm}' is not supported. Use one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512.");
                return null;
            }
        }

        try
        {
            if (k.Secret is not null)
            {
                if (!TryDecodeSecret(k.Secret, out var secret))
                {
                    errors.Add($"{setting}:Secret is not base64. Generate one with: openssl rand -base64 32 (48 for HS384, 64 for HS512).");
                    return null;
                }

                return JwtSigningKey.FromSecret(k.KeyId!, k.Algorithm!, secret);
            }

            if (k.Jwk is not null)
            {
                return JwtSigningKey.FromJwk(k.Jwk, string.IsNullOrWhiteSpace(k.KeyId) ? null : k.KeyId, string.IsNullOrWhiteSpace(k.Algorithm) ? null : k.Algorithm);
            }

            string pem;
            if (k.PemFile is not null)
            {
                if (!File.Exists(k.PemFile))
                {
                    errors.Add($"{setting}:PemFile '{k.PemFile}' does not exist. Fix the path (relative paths start at the working directory '{Environment.CurrentDirectory}').");
                    return null;
                }

                pem = File.ReadAllText(k.PemFile);
            }
            else
            {
                pem = k.Pem!;
            }

            return JwtSigningKey.FromPem(k.KeyId!, k.Algorithm!, pem);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{setting} ('{k.KeyId}'): {ex.Message}");
        }
        catch (IOException ex)
        {
            errors.Add($"{setting}:PemFile '{k.PemFile}' cannot be read: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            errors.Add($"{setting}:PemFile '{k.PemFile}' cannot be read: {ex.Message}");
        }

        return null;
    }

    private byte[] BuildJwks()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in Keys)
            {
                if (!key.IsSymmetric)
                {
                    key.WritePublicJwk(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool TryDecodeSecret(string text, out byte[] secret)
    {
        text = text.Trim();
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            secret = buffer[..written];
            return true;
        }

        if (Base64Url.IsValid(text.AsSpan()))
        {
            secret = Base64Url.DecodeFromChars(text);
            return true;
        }

        secret = [];
        return false;
    }
}
