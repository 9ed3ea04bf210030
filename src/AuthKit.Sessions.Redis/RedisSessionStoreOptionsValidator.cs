using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthKit.Sessions.Redis;

/// <summary>Checks at start-up that the store has a usable connection setting.</summary>
internal sealed class RedisSessionStoreOptionsValidator(IServiceProvider services) : IValidateOptions<RedisSessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        if (options.Configuration is null)
        {
            var isService = services.GetService<IServiceProviderIsService>();
            return isService is not null && isService.IsService(typeof(IConnectionMultiplexer))
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    "AuthKit:RedisStore:Configuration (RedisSessionStoreOptions.Configuration) is not set and no IConnectionMultiplexer is registered. " +
                    "Set it to the Redis server, for example \"127.0.0.1:6379\", or register an IConnectionMultiplexer.");
        }

        try
        {
            var parsed = RedisConnection.CreateConfiguration(options);
            if (parsed.EndPoints.Count == 0)
            {
                return ValidateOptionsResult.Fail("AuthKit:RedisStore:Configuration (RedisSessionStoreOptions.Configuration) names no server; give at least one host:port, for example \"127.0.0.1:6379\".");
            }
        }
        catch (ArgumentException ex)
        {
            // The message of StackExchange.Redis names the bad keyword; the setting itself may hold a password, so it is not echoed.
            return ValidateOptionsResult.Fail($"AuthKit:RedisStore:Configuration (RedisSessionStoreOptions.Configuration) is not a valid StackExchange.Redis configuration string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
