using System.Text.Json.Serialization;

namespace AuthKit.Samples;

/// <summary>Source-generated JSON for the sample's API and session data.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenError))]
[JsonSerializable(typeof(OrdersResponse))]
[JsonSerializable(typeof(MemoryReport))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;

internal sealed record TokenRequest(string? Username, string? Password);

/// <summary>An RFC 6749 §5.1 token response.</summary>
internal sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, string? RefreshToken);

/// <summary>An RFC 6749 §5.2 error response.</summary>
internal sealed record TokenError(string Error);

internal sealed record Order(string Id, string Item, decimal Total);

internal sealed record OrdersResponse(string User, string Instance, IReadOnlyList<Order> Orders);

/// <summary>What <c>GET /diagnostics/memory</c> answers: bytes, and collections since the process started.</summary>
internal sealed record MemoryReport(string Instance, int Pid, long RssBytes, long GcTotalMemoryBytes, long GcHeapSizeBytes, long GcCommittedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections);
