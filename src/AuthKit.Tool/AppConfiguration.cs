using Microsoft.Extensions.Configuration;

namespace AuthKit.Tool;

/// <summary>
/// The app's configuration as the app itself reads it: a JSON file (<c>--config</c>, or <c>appsettings.json</c> and
/// <c>appsettings.{Environment}.json</c> in the current directory), then environment variables (<c>AuthKit__FileStore__Directory</c>).
/// </summary>
internal sealed class AppConfiguration
{
    private AppConfiguration(IConfigurationRoot configuration, string description, string baseDirectory)
    {
        Configuration = configuration;
        Description = description;
        BaseDirectory = baseDirectory;
    }

    public IConfigurationRoot Configuration { get; }

    /// <summary>Where the settings came from, for messages.</summary>
    public string Description { get; }

    /// <summary>What relative paths in the file are relative to: the file's directory (the app's content root).</summary>
    public string BaseDirectory { get; }

    public static AppConfiguration Load(string? file)
    {
        var builder = new ConfigurationBuilder();
        string description;
        string baseDirectory;
        if (file is not null)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw ToolException.Configuration($"{path}: no such file. Give the app's appsettings.json (or another JSON file in its shape) with --config.");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            description = path + " and the environment";
            baseDirectory = Path.GetDirectoryName(path)!;
        }
        else
        {
            baseDirectory = Directory.GetCurrentDirectory();
            builder.SetBasePath(baseDirectory).AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
            var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
            if (!string.IsNullOrEmpty(environment))
            {
                builder.AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false);
            }

            description = File.Exists(Path.Combine(baseDirectory, "appsettings.json"))
                ? Path.Combine(baseDirectory, "appsettings.json") + " and the environment"
                : "the environment (no appsettings.json in the current directory)";
        }

        builder.AddEnvironmentVariables();
        try
        {
            return new AppConfiguration(builder.Build(), description, baseDirectory);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw ToolException.Configuration($"the configuration cannot be read: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")} Fix the JSON file (or give another with --config).", ex);
        }
    }
}
