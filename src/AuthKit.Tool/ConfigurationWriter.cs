using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AuthKit.Tool;

/// <summary>
/// Writes settings (<c>AuthKit:Jwt:Keys:0:KeyId</c> = value) in the two forms an app reads: a JSON fragment for
/// appsettings.json, and environment variables (<c>AuthKit__Jwt__Keys__0__KeyId=value</c>, one per line).
/// </summary>
internal static class ConfigurationWriter
{
    /// <summary>The settings as a JSON object; numeric path segments become arrays when they count from 0.</summary>
    public static string ToJson(IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var root = new Node();
        foreach (var (key, value) in settings)
        {
            var node = root;
            foreach (var segment in key.Split(':'))
            {
                node = node.Child(segment);
            }

            node.Value = value;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, root);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The settings as <c>NAME=value</c> lines (<c>:</c> becomes <c>__</c>), the form of .env files, Docker's --env-file and Kubernetes.</summary>
    public static string ToEnvironment(IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in settings)
        {
            text.Append(key.Replace(":", "__", StringComparison.Ordinal)).Append('=').Append(value).Append('\n');
        }

        return text.ToString();
    }

    private static void Write(Utf8JsonWriter writer, Node node)
    {
        if (node.Value is not null)
        {
            writer.WriteStringValue(node.Value);
            return;
        }

        var isArray = node.Children.Count > 0 && node.Children.Keys.Select((k, i) => k == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(x => x);
        if (isArray)
        {
            writer.WriteStartArray();
            foreach (var child in node.Children.Values)
            {
                Write(writer, child);
            }

            writer.WriteEndArray();
            return;
        }

        writer.WriteStartObject();
        foreach (var (name, child) in node.Children)
        {
            writer.WritePropertyName(name);
            Write(writer, child);
        }

        writer.WriteEndObject();
    }

    private sealed class Node
    {
        public string? Value { get; set; }

        // Insertion order is the order of the settings given.
        public OrderedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public Node Child(string name)
        {
            if (!Children.TryGetValue(name, out var child))
            {
                Children[name] = child = new Node();
            }

            return child;
        }
    }
}
