using System.Reflection;
using AuthKit;
using AuthKit.Jwt;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Benchmarks.Jwt;

/// <summary>AuthKit's token service as an app gets it from DI, with the benchmark keys.</summary>
internal static class AuthKitJwtBench
{
    public static (ITokenService Service, IDisposable Services) CreateTokenService(string activeKeyId)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders());
        services.AddAuthKit().AddJwt(o =>
        {
            o.Issuer = JwtBenchKeys.Issuer;
            o.Audience = JwtBenchKeys.Audience;
            o.SigningKeys.Add(JwtSigningKey.FromSecret(JwtBenchKeys.HsKid, JwtAlgorithms.HS256, JwtBenchKeys.Secret));
            o.SigningKeys.Add(JwtSigningKey.FromRsa(JwtBenchKeys.RsKid, JwtAlgorithms.RS256, JwtBenchKeys.Rsa));
            o.SigningKeys.Add(JwtSigningKey.FromECDsa(JwtBenchKeys.EsKid, JwtAlgorithms.ES256, JwtBenchKeys.ECDsa));
            o.ActiveKeyId = activeKeyId;
        });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ITokenService>(), provider);
    }

    /// <summary>Runs every benchmark once and fails the run if any contender does not produce a result: a benchmark of a failure measures nothing.</summary>
    public static void CheckAll(object benchmarks)
    {
        foreach (var method in benchmarks.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<BenchmarkAttribute>() is null)
            {
                continue;
            }

            var result = method.Invoke(benchmarks, null);
            if (result is Task task)
            {
                task.GetAwaiter().GetResult();
                result = task.GetType().GetProperty("Result")?.GetValue(task);
            }

            if (result is null)
            {
                throw new InvalidOperationException($"{benchmarks.GetType().Name}.{method.Name} returned null: the contender refused the token, fix the set-up.");
            }
        }
    }
}
