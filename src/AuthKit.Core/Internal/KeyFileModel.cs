using System.Text.Json.Serialization;

namespace AuthKit.Internal;

internal sealed class KeyFileModel
{
    [JsonPropertyName("activeKeyId")]
    public string? ActiveKeyId { get; set; }

    [JsonPropertyName("keys")]
    public List<KeyFileEntry> Keys { get; set; } = [];
}

internal sealed class KeyFileEntry
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("secret")]
    public string Secret { get; set; } = string.Empty;

    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; set; }
}

[JsonSerializable(typeof(KeyFileModel))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class KeyFileJsonContext : JsonSerializerContext;
