using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Internal;

/// <summary>Reports every problem of <see cref="RedisSessionStoreOptions"/> at once, at start-up.</summary>
internal sealed class RedisSessionStoreOptionsValidator(IServiceProvider services) : IValidateOptions<RedisSessionStoreOptions>
{
    private const string Section = RedisSessionStoreDefaults.ConfigurationSection;

    /// <summary>The prefix used when none is set: one per application, so apps sharing a Redis keep apart.</summary>
    public static string DefaultKeyPrefix(string applicationName) => "authkit:" + applicationName + ":";

    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        var failures = Check(options);
        if (options.Configuration is null)
        {
            var isService = services.GetService<IServiceProviderIsService>();
            if (isService is null || !isService.IsService(typeof(IConnectionMultiplexer)))
            {
                failures.Add(
                    $"{Section}:Configuration (RedisSessionStoreOptions.Configuration) is not set and no IConnectionMultiplexer is registered. " +
                    "Set it to the Redis server, for example \"127.0.0.1:6379\", or register an IConnectionMultiplexer.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>For a store built without a host: the same rules (bar the service lookup), thrown.</summary>
    public static void ThrowIfInvalid(RedisSessionStoreOptions options)
    {
        var failures = Check(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RedisSessionStoreOptions), failures);
        }
    }

    private static List<string> Check(RedisSessionStoreOptions options)
    {
        var failures = new List<string>();
        if (options.KeyPrefix is { } prefix)
        {
            if (prefix.Length > 256)
            {
                failures.Add($"{Section}:KeyPrefix (RedisSessionStoreOptions.KeyPrefix) is {prefix.Length} characters long; keep it to 256 at most.");
            }

            if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
            {
                failures.Add($"{Section}:KeyPrefix (RedisSessionStoreOptions.KeyPrefix) contains '{{' or '}}'; remove them: the store adds its own Redis Cluster hash tags after the prefix.");
            }
        }

        if (options.OperationTimeout < TimeSpan.FromMilliseconds(10) || options.OperationTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:OperationTimeout (RedisSessionStoreOptions.OperationTimeout) is {options.OperationTimeout}; it must be between 10 milliseconds and 5 minutes (the default is 00:00:02).");
        }

        if (options.ConnectTimeout < TimeSpan.FromMilliseconds(100) || options.ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:ConnectTimeout (RedisSessionStoreOptions.ConnectTimeout) is {options.ConnectTimeout}; it must be between 100 milliseconds and 5 minutes (the default is 00:00:05).");
        }

        if (options.IndexPruneInterval != TimeSpan.Zero && options.IndexPruneInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:IndexPruneInterval (RedisSessionStoreOptions.IndexPruneInterval) is {options.IndexPruneInterval}; it must be at least 1 second, or 00:00:00 to turn the background pass off (the default is 00:10:00).");
        }

        if (options.IndexPruneBatchSize is < 1 or > 100_000)
        {
            failures.Add($"{Section}:IndexPruneBatchSize (RedisSessionStoreOptions.IndexPruneBatchSize) is {options.IndexPruneBatchSize}; it must be between 1 and 100000 (the default is 500).");
        }

        if (options.ReplicasToAcknowledgeRemovals is < 0 or > 16)
        {
            failures.Add($"{Section}:ReplicasToAcknowledgeRemovals (RedisSessionStoreOptions.ReplicasToAcknowledgeRemovals) is {options.ReplicasToAcknowledgeRemovals}; it must be between 0 (do not wait, the default) and 16.");
        }

        if (options.Configuration is not null)
        {
            try
            {
                var parsed = RedisConnection.CreateConfiguration(options);
                if (parsed.EndPoints.Count == 0)
                {
                    failures.Add($"{Section}:Configuration (RedisSessionStoreOptions.Configuration) names no server; give at least one host:port, for example \"127.0.0.1:6379\".");
                }
            }
            catch (ArgumentException ex)
            {
                // The message of StackExchange.Redis names the bad keyword; the setting itself may hold a password, so it is not echoed.
                failures.Add($"{Section}:Configuration (RedisSessionStoreOptions.Configuration) is not a valid StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        return failures;
    }
}
