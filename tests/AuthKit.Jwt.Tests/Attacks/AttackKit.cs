using System.Security.Cryptography;
using System.Text.Json;
using AuthKit.Jwt.Tests.Interop;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Jwt.Tests.Attacks;

/// <summary>
/// What the attacks are aimed at: an API that signs with an HS256 key and also accepts RS256 tokens (public key only) from another issuer,
/// with issuer and audience set, on a fake clock. Attack tokens are signed with the real key wherever the attack does not need otherwise,
/// so the one flaw under test is the only reason to refuse them.
/// </summary>
internal sealed class AttackKit
{
    public AttackKit()
    {
        Time = EvidenceServices.ClockAtNow();
        Now = Time.GetUtcNow();
        Claims = InteropClaims.At(Now);
    }

    public FakeTimeProvider Time { get; }

    public DateTimeOffset Now { get; }

    public InteropClaims Claims { get; }

    public static PeerKey Hs => PeerKey.For("HS256");

    public static PeerKey Rs => PeerKey.For("RS256");

    public long NowSeconds => Now.ToUnixTimeSeconds();

    public Action<AuthKit.Jwt.JwtAuthenticationOptions> Configure => o =>
    {
        EvidenceServices.Configure(Claims, Hs.KeyId, Hs.ToAuthKitKey(privateKey: true), Rs.ToAuthKitKey(privateKey: false))(o);
    };

    /// <summary>A good token: the control every attack is a variation of.</summary>
    public string Good() => RawJws.Sign(Header(), Payload(), Hs);

    /// <summary>A JSON object with members in the order given; values are JSON-encoded, <see cref="Raw"/> values are written as they are.</summary>
    public static string Json(params (string Name, object? Value)[] members)
    {
        var parts = new List<string>(members.Length);
        foreach (var (name, value) in members)
        {
            var encoded = value is Raw raw ? raw.Json : JsonSerializer.Serialize(value);
            parts.Add(JsonSerializer.Serialize(name) + ":" + encoded);
        }

        return "{" + string.Join(",", parts) + "}";
    }

    public static string Header(string alg = "HS256", object? kid = null, params (string Name, object? Value)[] extra) =>
        Json([("alg", alg), ("kid", kid ?? Hs.KeyId), ("typ", "at+jwt"), .. extra]);

    public string Payload(params (string Name, object? Value)[] overrides)
    {
        var members = new List<(string Name, object? Value)>
        {
            ("iss", Claims.Issuer),
            ("aud", Claims.Audience),
            ("sub", Claims.Subject),
            ("iat", NowSeconds),
            ("nbf", NowSeconds),
            ("exp", NowSeconds + 600),
            ("jti", "attack-" + Guid.NewGuid().ToString("N")),
        };
        foreach (var (name, value) in overrides)
        {
            var index = members.FindIndex(m => m.Name == name);
            if (value is Remove)
            {
                members.RemoveAt(index);
            }
            else if (index >= 0)
            {
                members[index] = (name, value);
            }
            else
            {
                members.Add((name, value));
            }
        }

        return Json([.. members]);
    }

    /// <summary>A value written into JSON as it is (numbers as strings, arrays, duplicates).</summary>
    public sealed record Raw(string Json);

    /// <summary>Drops a member from <see cref="Payload"/>.</summary>
    public sealed record Remove
    {
        public static readonly Remove Member = new();
    }

    /// <summary>An HMAC-SHA256 signer keyed with arbitrary bytes (an RSA public key, an empty key...).</summary>
    public static Func<byte[], byte[]> Hmac(byte[] key) => input => HMACSHA256.HashData(key, input);
}
