using AuthKit.Sessions.File;
using AuthKit.Sessions.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Tool;

/// <summary>
/// The app's session store, opened with the app's own registration (<c>AddAuthKit().UseFileSessionStore()</c> or
/// <c>.UseRedisSessionStore()</c>) from the app's configuration, so the tool reads and revokes exactly what the app does.
/// </summary>
internal sealed class StoreHost : IAsyncDisposable
{
    public const string File = "file";
    public const string Redis = "redis";

    private const string FileSection = FileSessionStoreDefaults.ConfigurationSection;
    private const string RedisSection = RedisSessionStoreDefaults.ConfigurationSection;

    private readonly ServiceProvider _provider;

    private StoreHost(ServiceProvider provider, ISessionStore store, string kind, string where)
    {
        _provider = provider;
        Store = store;
        Kind = kind;
        Where = where;
    }

    public ISessionStore Store { get; }

    /// <summary><see cref="File"/> or <see cref="Redis"/>.</summary>
    public string Kind { get; }

    /// <summary>The directory, or the Redis endpoints (never the password of the configuration string).</summary>
    public string Where { get; }

    public IServiceProvider Services => _provider;

    public static StoreHost Open(AppConfiguration app, string? kind, bool verbose)
    {
        var configuration = app.Configuration;
        var directory = configuration[FileSection + ":" + nameof(FileSessionStoreOptions.Directory)];
        var redis = configuration[RedisSection + ":" + nameof(RedisSessionStoreOptions.Configuration)];
        kind ??= (string.IsNullOrWhiteSpace(directory), string.IsNullOrWhiteSpace(redis)) switch
        {
            (false, true) => File,
            (true, false) => Redis,
            (false, false) => throw ToolException.Usage($"{app.Description} configures both the file store ({FileSection}:Directory) and Redis ({RedisSection}:Configuration): say which one the app uses with --store file or --store redis."),
            _ => throw ToolException.Configuration($"no session store is configured in {app.Description}. Set {FileSection}:Directory (the file store's directory) or {RedisSection}:Configuration (a Redis configuration string): give the app's appsettings.json with --config, or set AuthKit__FileStore__Directory / AuthKit__RedisStore__Configuration."),
        };

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging =>
        {
            // Store warnings (an open directory, a failing Redis) go to stderr; stdout stays the command's output.
            logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        var authKit = services.AddAuthKit();
        string where;
        if (kind == File)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                throw ToolException.Configuration($"--store file, but {FileSection}:Directory is not set in {app.Description}. Set it to the directory the app keeps its sessions in.");
            }

            // The app resolves a relative directory against its own working directory, normally the content root where
            // appsettings.json lives; so does the tool. A missing directory is an error here: the store would create it empty.
            where = Path.GetFullPath(directory, app.BaseDirectory);
            if (!System.IO.Directory.Exists(where))
            {
                throw ToolException.Configuration($"the session directory {where} ({FileSection}:Directory) does not exist. Check the path (relative paths are taken from the configuration file's directory) and that this user may read it.");
            }

            authKit.UseFileSessionStore(o => o.Directory = where);
        }
        else if (kind == Redis)
        {
            if (string.IsNullOrWhiteSpace(redis))
            {
                throw ToolException.Configuration($"--store redis, but {RedisSection}:Configuration is not set in {app.Description}. Set it to the app's Redis configuration string (host:port,password=…).");
            }

            // The app's keys are prefixed with authkit:{ApplicationName}: unless it sets a prefix, and an app that sets neither
            // takes its host's name (its assembly name), which the tool cannot know.
            if (string.IsNullOrWhiteSpace(configuration[RedisSection + ":" + nameof(RedisSessionStoreOptions.KeyPrefix)])
                && string.IsNullOrWhiteSpace(configuration[AuthKitDefaults.ConfigurationSection + ":" + nameof(AuthKitOptions.ApplicationName)]))
            {
                throw ToolException.Configuration($"neither AuthKit:ApplicationName nor {RedisSection}:KeyPrefix is set in {app.Description}, so the tool cannot tell which keys are the app's (an app that sets neither uses its assembly name). Set AuthKit__ApplicationName to the app's name (for example AuthKit__ApplicationName=Shop), or give the app's {RedisSection}:KeyPrefix.");
            }

            where = Endpoints(redis);
            authKit.UseRedisSessionStore();
        }
        else
        {
            throw ToolException.Usage($"--store {kind}: the tool opens the file store and Redis (a distributed-cache or in-memory store has no data outside the app).");
        }

        var provider = services.BuildServiceProvider();
        try
        {
            return new StoreHost(provider, provider.GetRequiredService<ISessionStore>(), kind, where);
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw ToolException.Configuration($"the session store settings in {app.Description} are not valid, so the app would not start either:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}", ex);
        }
        catch (SessionStoreException ex)
        {
            provider.Dispose();
            throw ToolException.Store($"the {kind} store at {where} cannot be opened: {ex.Message}", ex);
        }
    }

    /// <summary>Runs a store operation, turning a store failure into the tool's message and exit code.</summary>
    public async Task<T> RunAsync<T>(Func<ISessionStore, Task<T>> operation)
    {
        try
        {
            return await operation(Store).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionStoreException or RedisException or IOException or UnauthorizedAccessException)
        {
            throw ToolException.Store(Kind == Redis
                ? $"the Redis store at {Where} failed: {ex.Message} Check that Redis runs and that {RedisSection}:Configuration (host, port, password, ssl) is the app's."
                : $"the file store at {Where} failed: {ex.Message} Check that the directory is mounted and that this user may read and write it (run as the app's user).", ex);
        }
    }

    private static string Endpoints(string configuration)
    {
        try
        {
            var endpoints = ConfigurationOptions.Parse(configuration).EndPoints;
            return endpoints.Count == 0 ? "(no endpoint)" : string.Join(",", endpoints.Select(EndPointCollection.ToString));
        }
        catch (ArgumentException)
        {
            // The store's own options validator names the problem without echoing the string (it may hold a password).
            return "(invalid configuration)";
        }
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync().ConfigureAwait(false);
}
