using System.Text.Json.Serialization;

namespace AuthKit.Internal.Keys;

/// <summary>The stored form of a managed key ring: one record holds every key of one ring, so one compare-and-set changes it.</summary>
internal sealed class ManagedKeyDocument
{
    [JsonPropertyName("v")]
    public int FormatVersion { get; set; } = 1;

    [JsonPropertyName("keys")]
    public List<ManagedKeyEntry> Keys { get; set; } = [];
}

/// <summary>One key as stored: its material is base64 (<c>plain:</c>) or AES-256-GCM under the key-encryption key (<c>aesgcm:</c>).</summary>
internal sealed class ManagedKeyEntry
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("alg")]
    public string Algorithm { get; set; } = string.Empty;

    [JsonPropertyName("material")]
    public string Material { get; set; } = string.Empty;

    [JsonPropertyName("created")]
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("activates")]
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>Set when a successor is created: the key's successor activation plus the retention; deleted from then on.</summary>
    [JsonPropertyName("deletes")]
    public DateTimeOffset? DeletesAt { get; set; }
}

[JsonSerializable(typeof(ManagedKeyDocument))]
internal sealed partial class ManagedKeyJsonContext : JsonSerializerContext;
