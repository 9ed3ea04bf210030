using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AuthKit.Tool;

/// <summary>A JWT's header and claims, decoded without any check, for display.</summary>
internal sealed class DecodedToken
{
    private static readonly string[] s_timeClaims = ["iat", "nbf", "exp", "auth_time"];

    private DecodedToken(JsonElement header, JsonElement payload, int signatureLength)
    {
        Header = header;
        Payload = payload;
        SignatureLength = signatureLength;
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    public int SignatureLength { get; }

    public string? KeyId => String(Header, "kid");

    public string? Algorithm => String(Header, "alg");

    public string? Type => String(Header, "typ");

    public string? Issuer => String(Payload, "iss");

    public string? Subject => String(Payload, "sub");

    public string? TokenId => String(Payload, "jti");

    public IReadOnlyList<string> Audiences => Payload.TryGetProperty("aud", out var aud)
        ? aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
            _ => [],
        }
        : [];

    public DateTimeOffset? Time(string claim)
        => Payload.TryGetProperty(claim, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var seconds)
           && seconds is >= -62135596800 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    /// <summary>Decodes a compact JWS; <see langword="null"/> when it is not three base64url parts with JSON objects in the first two.</summary>
    public static DecodedToken? Decode(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || !TryJson(parts[0], out var header) || !TryJson(parts[1], out var payload))
        {
            return null;
        }

        if (!Base64Url.IsValid(parts[2], out var signatureLength))
        {
            return null;
        }

        return new DecodedToken(header, payload, signatureLength);
    }

    /// <summary>The header, the claims and the times, as text.</summary>
    public string Describe(DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append("Header\n").Append(Indent(Pretty(Header))).Append('\n');
        text.Append("Claims\n").Append(Indent(Pretty(Payload))).Append('\n');
        var times = s_timeClaims.Select(c => (Claim: c, Time: Time(c))).Where(t => t.Time is not null).ToList();
        if (times.Count > 0)
        {
            text.Append("Times\n");
            foreach (var (claim, time) in times)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {claim,-9} {FormatTime(time!.Value, now)}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"Signature: {SignatureLength} bytes\n");
        return text.ToString();
    }

    /// <summary><c>2026-11-25 10:00:00 UTC (2026-11-25 11:00:00 +01:00 local), 5 min ago</c>.</summary>
    public static string FormatTime(DateTimeOffset time, DateTimeOffset now)
    {
        var local = time.ToLocalTime();
        return string.Create(CultureInfo.InvariantCulture, $"{time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({local:yyyy-MM-dd HH:mm:ss zzz} local), {Relative(time - now)}");
    }

    public static string Relative(TimeSpan delta)
    {
        var span = delta.Duration();
        var amount = span.TotalSeconds < 90 ? $"{(int)span.TotalSeconds} s"
            : span.TotalMinutes < 90 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} days";
        return delta >= TimeSpan.Zero ? "in " + amount : amount + " ago";
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool TryJson(string part, out JsonElement element)
    {
        element = default;
        if (!Base64Url.IsValid(part, out var length) || length == 0)
        {
            return false;
        }

        var bytes = new byte[length];
        if (Base64Url.DecodeFromChars(part, bytes) != length)
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            element = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Pretty(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Indent(string text) => "  " + text.Replace("\n", "\n  ", StringComparison.Ordinal);
}
