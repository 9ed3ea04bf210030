// The wrk bench host: every variant on its own path, beside a bare endpoint. Started by benchmarks/http/run.sh.
using AuthKit.Benchmarks.Http;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
BenchVariants.ConfigureServices(builder.Services);
var app = builder.Build();
app.MapGet("/bare", () => "ok");
BenchVariants.Map(app);
app.Run();
