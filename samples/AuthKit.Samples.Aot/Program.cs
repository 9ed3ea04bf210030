// AuthKit's native AOT smoke app: every package composed in one host, published with PublishAot=true.
// Sessions on the file store, Redis or a distributed cache (Smoke:Store), the Basic user table, JWT with refresh.
// Everything else comes from configuration (AuthKit:FileStore:Directory, AuthKit:RedisStore:Configuration,
// AuthKit:Basic:Users:*, AuthKit:Jwt:Keys:*), so the native binary is driven like any AuthKit app.
using AuthKit.Samples.Aot;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SmokeJsonContext.Default));

var authKit = builder.Services.AddAuthKit()
    .AddCookiePolicy()
    .AddSessions()
    .AddBasicUsers()
    .AddJwt();
var store = builder.Configuration["Smoke:Store"] ?? "file";
switch (store)
{
    case "file":
        authKit.UseFileSessionStore();
        break;
    case "redis":
        authKit.UseRedisSessionStore();
        break;
    case "distributed":
        builder.Services.AddDistributedMemoryCache();
        authKit.UseDistributedSessionStore();
        break;
    case "memory":
        authKit.UseMemorySessionStore();
        break;
    default:
        Console.Error.WriteLine($"Smoke:Store must be file, redis, distributed or memory (was '{store}').");
        return 2;
}

builder.Services.AddSingleton<Users>();

var app = builder.Build();
app.UseAuthKit();
app.MapSmokeEndpoints();

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();

// The smoke test and the measurement script wait for this exact line.
Console.WriteLine($"AuthKit AOT smoke app ({store} store) listening on {address}");
await app.WaitForShutdownAsync();
return 0;
