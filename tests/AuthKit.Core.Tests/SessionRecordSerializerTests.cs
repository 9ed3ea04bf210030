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
            Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = new byte[] { 1, 2, 3 }, ["empty"] = Array.Empty<byte>() },
            Metadata = new Dictionary<string, string> { ["browser"] = "Firefox 128", ["os"] = "Windows" },
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
        Assert.Equal([1, 2, 3], read.Data["a"].ToArray());
        Assert.True(read.Data["empty"].IsEmpty);
        Assert.Equal("Firefox 128", read.Metadata["browser"]);
        Assert.Equal("Windows", read.Metadata["os"]);
        var claim = read.Principal!.FindFirst("email")!;
        Assert.Equal("a@example.com", claim.Value);
        Assert.Equal(ClaimValueTypes.Email, claim.ValueType);
        Assert.Equal("issuer", claim.Issuer);
        Assert.Equal("Session", read.Principal.Identity!.AuthenticationType);
    }

    [Fact]
    public void Format_2_is_written_and_format_1_records_without_metadata_are_still_read()
    {
        var record = Sample() with { Metadata = null! };
        var v2 = SessionRecordSerializer.Serialize(record);
        Assert.Equal(2, SessionRecordSerializer.FormatVersion);
        Assert.Equal(2, v2[0]);

        // Format 1 is format 2 without the metadata count (0 here) that ends the body: rebuild it with its own checksum.
        var body = v2[..^9];
        body[0] = 1;
        var v1 = body.Concat(System.Security.Cryptography.SHA256.HashData(body)[..8]).ToArray();

        Assert.True(SessionRecordSerializer.TryDeserialize(v1, out var read));
        Assert.Equal(record.Key, read.Key);
        Assert.Equal("u1", read.UserId);
        Assert.Equal([1, 2, 3], read.Data["a"].ToArray());
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void The_format_version_is_a_property_that_third_party_stores_read_at_run_time()
    {
        Assert.Null(typeof(SessionRecordSerializer).GetField(nameof(SessionRecordSerializer.FormatVersion)));
        Assert.NotNull(typeof(SessionRecordSerializer).GetProperty(nameof(SessionRecordSerializer.FormatVersion)));
    }

    [Fact]
    public void Record_data_and_metadata_cannot_be_changed_through_the_record_or_by_whoever_supplied_them()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var data = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = bytes };
        var metadata = new Dictionary<string, string> { ["os"] = "Windows" };
        var record = Sample() with { Data = data, Metadata = metadata };

        bytes[0] = 99;
        data["b"] = new byte[] { 4 };
        metadata["os"] = "changed";

        Assert.Equal([1, 2, 3], record.Data["a"].ToArray());
        Assert.False(record.Data.ContainsKey("b"));
        Assert.Equal("Windows", record.Metadata["os"]);
        Assert.IsNotAssignableFrom<System.Collections.IDictionary>(record.Data);
        Assert.IsNotAssignableFrom<IDictionary<string, ReadOnlyMemory<byte>>>(record.Data);
        Assert.IsNotAssignableFrom<IDictionary<string, string>>(record.Metadata);
        Assert.False(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(record.Data["a"], out var segment) && ReferenceEquals(segment.Array, bytes));
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
        future[0] = (byte)(SessionRecordSerializer.FormatVersion + 1);
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

    [Theory]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(12, false)]
    [InlineData(12, true)]
    public void A_record_whose_data_or_metadata_repeats_a_key_is_refused(int entries, bool metadata)
    {
        // Keys "k00", "k01", …: renaming the last one to the first (same length, checksum recomputed) repeats a key, in the
        // small form (up to 8 entries) and in the dictionary form beyond.
        var names = Enumerable.Range(0, entries).Select(i => $"k{i:00}").ToArray();
        var record = Sample() with
        {
            Data = metadata ? Sample().Data : names.ToDictionary(n => n, n => (ReadOnlyMemory<byte>)new byte[] { 7 }),
            Metadata = metadata ? names.ToDictionary(n => n, n => "v") : Sample().Metadata,
        };
        var bytes = SessionRecordSerializer.Serialize(record);
        Assert.True(SessionRecordSerializer.TryDeserialize(bytes, out var read));
        Assert.Equal(entries, metadata ? read.Metadata.Count : read.Data.Count);

        Assert.True(SessionRecordSerializer.TryDeserialize(Rename(bytes, names[^1], "kzz"), out var renamed));
        Assert.Contains("kzz", metadata ? renamed.Metadata.Keys : renamed.Data.Keys);
        Assert.False(SessionRecordSerializer.TryDeserialize(Rename(bytes, names[^1], names[0]), out _));

        static byte[] Rename(byte[] serialized, string from, string to)
        {
            var body = serialized[..^8];
            var at = body.AsSpan().LastIndexOf(System.Text.Encoding.UTF8.GetBytes(from));
            System.Text.Encoding.UTF8.GetBytes(to).CopyTo(body, at);
            return body.Concat(System.Security.Cryptography.SHA256.HashData(body)[..8]).ToArray();
        }
    }

    [Fact]
    public void Small_data_and_metadata_read_back_with_every_key_and_value()
    {
        var bytes = SessionRecordSerializer.Serialize(Sample());

        Assert.True(SessionRecordSerializer.TryDeserialize(bytes, out var read));

        Assert.Equal(new byte[] { 1, 2, 3 }, read.Data["a"].ToArray());
        Assert.True(read.Data.TryGetValue("empty", out var empty) && empty.IsEmpty);
        Assert.False(read.Data.ContainsKey("A"));
        Assert.Equal(["a", "empty"], read.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Firefox 128", read.Metadata["browser"]);
        Assert.Equal("Windows", read.Metadata["os"]);
        Assert.Equal(2, read.Metadata.Count);
    }
}
