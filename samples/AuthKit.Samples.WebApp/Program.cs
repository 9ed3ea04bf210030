// The AuthKit sample: every package in one host. `dotnet run --project samples/AuthKit.Samples.WebApp`
using AuthKit;
using AuthKit.Samples;
using Microsoft.AspNetCore.DataProtection;

var builder = WebApplication.CreateBuilder(args);
var sample = builder.Configuration.GetSection(SampleOptions.Section).Get<SampleOptions>() ?? new SampleOptions();
builder.Services.Configure<SampleOptions>(builder.Configuration.GetSection(SampleOptions.Section));
var store = sample.Store.Trim().ToLowerInvariant();
var dataDirectory = Path.GetFullPath(sample.DataDirectory ?? Path.Combine(builder.Environment.ContentRootPath, "App_Data"));
Directory.CreateDirectory(dataDirectory);

// --- AuthKit: every package, composed in one place -----------------------------------------------------------------
var authKit = builder.Services.AddAuthKit()
    .AddCookiePolicy()
    .AddSessions(o => o.LoginPath = "/login");
switch (store)
{
    case "memory":
        authKit.UseMemorySessionStore();
        break;
    case "file":
        authKit.UseFileSessionStore(o => o.Directory = Path.Combine(dataDirectory, "sessions"));
        break;
    case "redis":
        authKit.UseRedisSessionStore(o => o.Configuration = sample.Redis);
        break;
    default:
        throw new InvalidOperationException($"AuthKitSample:Store must be memory, file or redis (was '{sample.Store}').");
}

authKit.AddBasic<DemoCredentialValidator>();
authKit.AddJwt(o =>
{
    // Outside Development AuthKit.Jwt wants a configured key or managed keys (AuthKit:ManagedKeys:Enabled, as the Cluster
    // sample runs it); otherwise the sample keeps one in its data folder.
    if (!builder.Environment.IsDevelopment() && !builder.Configuration.GetSection("AuthKit:Jwt:Keys").GetChildren().Any()
        && !builder.Configuration.GetValue<bool>("AuthKit:ManagedKeys:Enabled"))
    {
        o.Keys.Add(new AuthKit.Jwt.JwtKeyOptions { KeyId = "sample-es256", Algorithm = "ES256", PemFile = SampleKeys.EnsureEcdsaKeyFile(Path.Combine(dataDirectory, "jwt-signing-key.pem")) });
    }
});

// --- The sample's own services -------------------------------------------------------------------------------------
builder.Services.AddSingleton<DemoUserDirectory>();
builder.Services.AddAntiforgery();
// A form that fails its antiforgery check answers 400 with the sample's error page, in Development too (not an exception page).
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);

// Antiforgery tokens are protected with Data Protection: instances behind one balancer need the same keys.
builder.Services.AddDataProtection()
    .SetApplicationName("AuthKit.Samples.WebApp")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "dataprotection-keys")));
if (sample.ParentProcessId is { } parentPid)
{
    builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ParentProcessWatcher>(sp, parentPid));
}

var app = builder.Build();

app.Use((context, next) =>
{
    // Set again as the response starts: an answer that was cleared on the way (a 503 for a store that is down) still names its instance.
    context.Response.Headers["X-AuthKit-Instance"] = sample.InstanceName;
    context.Response.OnStarting(() =>
    {
        context.Response.Headers["X-AuthKit-Instance"] = sample.InstanceName;
        return Task.CompletedTask;
    });
    return next(context);
});
app.UseSampleErrorPages();      // a page, not a blank screen, for 400/401/403/429/503 answers without a body
app.UseUnknownSessionNotice();  // says so when this instance does not know the browser's session
app.UseAuthKit();
app.UseAntiforgery();

app.MapGet("/healthz", () => "ok").DisableAntiforgery();
app.MapPages();
app.MapApi();
app.MapAdmin();
if (sample.Diagnostics)
{
    app.MapDiagnostics();
}

// Create the Data Protection key now, so instances started after this one find it instead of making their own.
app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("AuthKit.Samples.Startup").Protect([1]);

await app.StartAsync();
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AuthKit.Samples.WebApp");
var url = app.Urls.FirstOrDefault() ?? "(no address)";
logger.LogInformation(
    "AuthKit sample, instance {Instance}, session store {Store}{Where}. Open {Url} and sign in with {Users}; the admin area {Url}/admin uses HTTP Basic with the admin user.",
    sample.InstanceName,
    store,
    store switch { "file" => $" ({Path.Combine(dataDirectory, "sessions")})", "redis" => $" ({sample.Redis})", _ => "" },
    url,
    string.Join(", ", sample.Users.Where(u => u.Value.DemoPassword is not null).Select(u => $"{u.Key} / {u.Value.DemoPassword}")),
    url);

// The cluster launcher waits for this exact line.
Console.WriteLine($"AuthKit sample instance {sample.InstanceName} listening on {url}");
await app.WaitForShutdownAsync();
