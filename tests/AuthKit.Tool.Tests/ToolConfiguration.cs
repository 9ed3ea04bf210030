using System.Security.Claims;
using Microsoft.Extensions.Configuration;

namespace AuthKit.Tool.Tests;

/// <summary>Reads what the tool printed back as configuration, the way an app would.</summary>
public static class ToolConfiguration
{
    /// <summary>NAME=value lines (as printed with --format env) as configuration: <c>__</c> is <c>:</c>, as for environment variables.</summary>
    public static IConfiguration FromEnvironmentLines(string text, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"not a NAME=value line: {line}");
            settings[line[..eq].Replace("__", ":", StringComparison.Ordinal)] = line[(eq + 1)..];
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>A JSON document (as printed with --format json) as configuration.</summary>
    public static IConfiguration FromJson(string json, IDictionary<string, string?>? extra = null)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return new ConfigurationBuilder().AddJsonStream(stream).AddInMemoryCollection(extra ?? new Dictionary<string, string?>()).Build();
    }

    public static ClaimsPrincipal User(string name)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Name, name)], "test", ClaimTypes.Name, ClaimTypes.Role));
}
