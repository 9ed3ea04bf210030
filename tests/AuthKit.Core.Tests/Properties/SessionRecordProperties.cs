using System.Security.Claims;
using System.Security.Cryptography;
using AuthKit.Properties;
using CsCheck;

namespace AuthKit.Core.Tests.Properties;

/// <summary>The session-record format: <c>SessionRecordSerializer.Serialize</c> and <c>TryDeserialize</c>.</summary>
public sealed class SessionRecordProperties
{
    private static readonly Gen<string> Text = Gen.Frequency(
        (4, (IGen<string>)Gen.String[Gen.Char.AlphaNumeric, 0, 24]),
        (1, Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 24]),
        (1, Gen.String[Gen.Char['\uE000', '\uFFFF'], 0, 8]));

    private static readonly Gen<DateTimeOffset> Times = Gen.Frequency(
        (4, (IGen<DateTimeOffset>)Gen.Long[new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks]
            .Select(Gen.Int[-14 * 60, 14 * 60], (t, offset) => new DateTimeOffset(t, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset)))),
        (1, Gen.OneOf(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch)));

    private static readonly Gen<Claim> Claims = Gen.Select(
        Gen.OneOf(Gen.OneOf(ClaimTypes.Name, ClaimTypes.NameIdentifier, ClaimTypes.Role, ClaimTypes.Email, "sub", "scope"), Text),
        Text,
        Gen.OneOf(ClaimValueTypes.String, ClaimValueTypes.Integer64, ClaimValueTypes.Boolean, "JSON"),
        Gen.OneOf(ClaimsIdentity.DefaultIssuer, "https://issuer.test", "LOCAL AUTHORITY"),
        (type, value, valueType, issuer) => new Claim(type, value, valueType, issuer));

    private static readonly Gen<ClaimsPrincipal?> Principals = Gen.Frequency(
        (1, (IGen<ClaimsPrincipal?>)Gen.Const((ClaimsPrincipal?)null)),
        (3, Gen.Select(Claims.Array[0, 8], Gen.OneOf<string?>(null, "Session", "AuthKit.Jwt"), Gen.Bool,
            (claims, type, twoIdentities) =>
            {
                var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, type, ClaimTypes.Name, ClaimTypes.Role));
                if (twoIdentities)
                {
                    principal.AddIdentity(new ClaimsIdentity([new Claim("amr", "pwd")], "second", "name", "role"));
                }

                return (ClaimsPrincipal?)principal;
            })));

    internal static readonly Gen<SessionRecord> Records = Gen.Select(
        Gen.Select(
            Gen.Frequency((3, (IGen<SessionKey>)Gen.Const(() => SessionKey.FromSessionId(SessionIds.Create()))), (1, Gen.Byte.Array[SessionKey.Length].Select(b => SessionKey.FromBytes(b)))),
            Gen.Enum<SessionRecordKind>(),
            Gen.Long,
            Gen.Select(Times, Times, Times, Times)),
        Gen.Select(Text.Null(), Text.Null(), Principals),
        Gen.Select(
            Gen.Dictionary(Text, Gen.Byte.Array[0, 64].Select(b => (ReadOnlyMemory<byte>)b))[0, 6],
            Gen.Dictionary(Text, Text)[0, 4]),
        (a, b, c) => new SessionRecord
        {
            Key = a.Item1,
            Kind = a.Item2,
            Version = a.Item3,
            CreatedAt = a.Item4.Item1,
            LastSeenAt = a.Item4.Item2,
            IdleExpiresAt = a.Item4.Item3,
            AbsoluteExpiresAt = a.Item4.Item4,
            UserId = b.Item1,
            AuthenticationScheme = b.Item2,
            Principal = b.Item3,
            Data = c.Item1,
            Metadata = c.Item2,
        });

    private static readonly Gen<byte[]> Serialized = Records.Select(SessionRecordSerializer.Serialize);

    [Fact]
    public void Every_record_round_trips()
    {
        PropertyRun.Check(Records, record =>
        {
            var bytes = SessionRecordSerializer.Serialize(record);
            Assert.True(SessionRecordSerializer.TryDeserialize(bytes, out var read));
            AssertSame(record, read);
            Assert.Equal(bytes, SessionRecordSerializer.Serialize(read));
        });
    }

    [Fact]
    public void Every_truncation_and_extension_is_refused()
    {
        PropertyRun.Check(Gen.Select(Serialized, Gen.Double[0, 1], Gen.Byte.Array[1, 16]), (bytes, at, tail) =>
        {
            Assert.False(SessionRecordSerializer.TryDeserialize(bytes.AsMemory(0, (int)(at * (bytes.Length - 1))), out _));
            Assert.False(SessionRecordSerializer.TryDeserialize((byte[])[.. bytes, .. tail], out _));
        });
    }

    [Fact]
    public void Every_single_bit_flip_is_refused()
    {
        PropertyRun.Check(Gen.Select(Serialized, Gen.Double[0, 1], Gen.Int[0, 7]), (bytes, at, bit) =>
        {
            var i = (int)(at * (bytes.Length - 1));
            bytes[i] ^= (byte)(1 << bit);
            Assert.False(SessionRecordSerializer.TryDeserialize(bytes, out _));
        });
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        PropertyRun.Check(Gen.Byte.Array[0, 200], bytes => SessionRecordSerializer.TryDeserialize(bytes, out _));
    }

    /// <summary>
    /// Mutated bodies sealed with a fresh checksum reach the parser itself (what a store bug or a hostile writer hands it): it
    /// answers, never throws, and what it accepts writes back to a record it reads again.
    /// </summary>
    [Fact]
    public void Mutated_bodies_with_a_valid_checksum_never_throw()
    {
        PropertyRun.Check(Gen.Select(Serialized, Mutation.Any, Mutation.Any), (bytes, m1, m2) =>
        {
            var body = m2.Apply(m1.Apply(bytes[..^8]));
            if (body.Length == 0)
            {
                return;
            }

            var sealed_ = (byte[])[.. body, .. SHA256.HashData(body).AsSpan(0, 8)];
            if (SessionRecordSerializer.TryDeserialize(sealed_, out var read))
            {
                Assert.True(SessionRecordSerializer.TryDeserialize(SessionRecordSerializer.Serialize(read), out var again));
                AssertSame(read, again);
            }
        });
    }

    /// <summary>
    /// The ticket format nests an identity's actor inside the identity, and the framework reads it by recursion: a record of a
    /// megabyte could nest a hundred thousand actors and overflow the stack, which no catch survives (the process dies).
    /// </summary>
    [Fact]
    public void Deeply_nested_actors_are_refused_without_exhausting_the_stack()
    {
        Assert.True(SessionRecordSerializer.TryDeserialize(RecordWithActorChain(3), out var shallow));
        Assert.NotNull(shallow.Principal!.Identities.Single().Actor!.Actor);

        var deep = RecordWithActorChain(100_000);
        var result = (bool?)null;
        var thread = new Thread(() => result = SessionRecordSerializer.TryDeserialize(deep, out _), maxStackSize: 512 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)));
        Assert.False(result);
    }

    /// <summary>A valid record (version 2, with its checksum) whose principal is one identity with <paramref name="depth"/> - 1 nested actors.</summary>
    private static byte[] RecordWithActorChain(int depth)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)2);
            w.Write(new byte[SessionKey.Length]);
            w.Write((byte)SessionRecordKind.Session);
            w.Write(1L);
            for (var i = 0; i < 4; i++)
            {
                w.Write(DateTimeOffset.UnixEpoch.UtcTicks);
            }

            w.Write((byte)1); // a principal, no user ID, no scheme
            w.Write(5); // ticket format
            w.Write(string.Empty);
            w.Write(1); // identities
            for (var level = 0; level < depth; level++)
            {
                w.Write(string.Empty); // authentication type
                w.Write("\0"); // default name claim type
                w.Write("\0"); // default role claim type
                w.Write(0); // claims
                w.Write(false); // bootstrap context
                w.Write(level < depth - 1); // actor follows
            }

            w.Write(1); // properties format
            w.Write(0); // properties
            w.Write7BitEncodedInt(0); // data
            w.Write7BitEncodedInt(0); // metadata
        }

        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body).AsSpan(0, 8)];
    }

    private static void AssertSame(SessionRecord expected, SessionRecord actual)
    {
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.LastSeenAt, actual.LastSeenAt);
        Assert.Equal(expected.IdleExpiresAt, actual.IdleExpiresAt);
        Assert.Equal(expected.AbsoluteExpiresAt, actual.AbsoluteExpiresAt);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.AuthenticationScheme, actual.AuthenticationScheme);
        Assert.Equal(expected.Data.Keys.Order(StringComparer.Ordinal), actual.Data.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected.Data)
        {
            Assert.Equal(value.ToArray(), actual.Data[name].ToArray());
        }

        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Principal is null, actual.Principal is null);
        if (expected.Principal is null)
        {
            return;
        }

        var e = expected.Principal.Identities.ToArray();
        var a = actual.Principal!.Identities.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            // The framework's ticket format writes a missing authentication type as "" (both read as not authenticated).
            Assert.Equal(e[i].AuthenticationType ?? string.Empty, a[i].AuthenticationType);
            Assert.Equal(e[i].IsAuthenticated, a[i].IsAuthenticated);
            Assert.Equal(e[i].NameClaimType, a[i].NameClaimType);
            Assert.Equal(e[i].RoleClaimType, a[i].RoleClaimType);
            Assert.Equal(
                e[i].Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)),
                a[i].Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)));
        }
    }
}
