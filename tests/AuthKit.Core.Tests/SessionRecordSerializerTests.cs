using System.Security.Claims;

namespace AuthKit.Core.Tests;

public sealed class SessionRecordSerializerTests
{
    private static SessionRecord Sample()
    {
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.FromHours(2));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u1"), new Claim("email", "a@example.com", ClaimValueTypes.Email, "issuer")], "Session", ClaimTypes.Name, ClaimTypes.Role);
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(SessionIds.Create()),
            Kind = SessionRecordKind.RefreshToken,
            UserId = "u1",
            Principal = new ClaimsPrincipal(identity),
            AuthenticationScheme = "Session",
            Data = new Dictionary<string, byte[]> { ["a"] = [1, 2, 3], ["empty"] = [] },
            CreatedAt = now,
            LastSeenAt = now.AddMinutes(1),
            IdleExpiresAt = now.AddMinutes(20),
            AbsoluteExpiresAt = now.AddHours(8),
            Version = 7,
        };
    }

    [Fact]
    public void Record_round_trips_with_its_principal_through_the_ticket_format()
    {
        var record = Sample();
        var bytes = SessionRecordSerializer.Serialize(record);
        Assert.Equal(SessionRecordSerializer.FormatVersion, bytes[0]);
        Assert.True(SessionRecordSerializer.TryDeserialize(bytes, out var read));
        Assert.Equal(record.Key, read.Key);
        Assert.Equal(record.Kind, read.Kind);
        Assert.Equal(record.UserId, read.UserId);
        Assert.Equal(record.Version, read.Version);
        Assert.Equal(record.CreatedAt, read.CreatedAt);
        Assert.Equal(record.AbsoluteExpiresAt, read.AbsoluteExpiresAt);
        Assert.Equal([1, 2, 3], read.Data["a"]);
        Assert.Empty(read.Data["empty"]);
        var claim = read.Principal!.FindFirst("email")!;
        Assert.Equal("a@example.com", claim.Value);
        Assert.Equal(ClaimValueTypes.Email, claim.ValueType);
        Assert.Equal("issuer", claim.Issuer);
        Assert.Equal("Session", read.Principal.Identity!.AuthenticationType);
    }

    [Fact]
    public void Every_truncation_of_a_record_is_rejected_without_throwing()
    {
        var bytes = SessionRecordSerializer.Serialize(Sample());
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(SessionRecordSerializer.TryDeserialize(bytes.AsMemory(0, length), out _), $"prefix of {length} bytes was accepted");
        }
    }

    [Fact]
    public void Unknown_format_version_and_trailing_bytes_are_rejected()
    {
        var bytes = SessionRecordSerializer.Serialize(Sample());
        var future = (byte[])bytes.Clone();
        future[0] = 2;
        Assert.False(SessionRecordSerializer.TryDeserialize(future, out _));
        Assert.False(SessionRecordSerializer.TryDeserialize(bytes.Append((byte)0).ToArray(), out _));
    }

    [Fact]
    public void Random_and_bit_flipped_bytes_never_throw()
    {
        var random = new Random(1234);
        var bytes = SessionRecordSerializer.Serialize(Sample());
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = (byte[])bytes.Clone();
                var flips = random.Next(1, 4);
                for (var f = 0; f < flips; f++)
                {
                    input[random.Next(1, input.Length)] ^= (byte)(1 << random.Next(8));
                }
            }
            else
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
                if (input.Length > 0)
                {
                    input[0] = SessionRecordSerializer.FormatVersion;
                }
            }

            // Must return (true or false) and never throw; a flipped byte in a value may still parse, which is fine.
            _ = SessionRecordSerializer.TryDeserialize(input, out _);
        }
    }

    [Fact]
    public void Corrupt_bodies_with_a_matching_checksum_never_throw()
    {
        // The checksum stops accidental damage before any parsing; behind it, the parser must fail closed too,
        // including inside the principal (the framework's ticket format, read with bounded counts).
        var random = new Random(99);
        var bytes = SessionRecordSerializer.Serialize(Sample());
        for (var i = 0; i < 20_000; i++)
        {
            var body = bytes[..^8];
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                body[random.Next(1, body.Length)] ^= (byte)(1 << random.Next(8));
            }

            var digest = System.Security.Cryptography.SHA256.HashData(body);
            var input = body.Concat(digest[..8]).ToArray();
            _ = SessionRecordSerializer.TryDeserialize(input, out _);
        }
    }
}
