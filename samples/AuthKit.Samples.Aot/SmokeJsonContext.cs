using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthKit.Samples.Aot;

internal sealed record Credentials(string? Username, string? Password);

internal sealed record Identity(string User, string? Handle);

internal sealed record SessionView(string User, string? Handle, int Visits);

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

internal sealed record TokenError([property: JsonPropertyName("error")] string Error);

/// <summary>Source-generated JSON for every body the app reads or writes: no reflection under native AOT.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(Identity))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenError))]
internal sealed partial class SmokeJsonContext : JsonSerializerContext;
