var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "AuthKit sample (work in progress)");
app.Run();
