namespace AuthKit.Benchmarks.Http;

/// <summary>Each area (sessions, basic, jwt) implements its partial methods in its own file.</summary>
internal static partial class BenchVariants
{
    public static void ConfigureServices(IServiceCollection services)
    {
        ConfigureSessionServices(services);
        ConfigureBasicServices(services);
        ConfigureJwtServices(services);
    }

    public static void Map(WebApplication app)
    {
        MapSessions(app);
        MapBasic(app);
        MapJwt(app);
    }

    static partial void ConfigureSessionServices(IServiceCollection services);

    static partial void ConfigureBasicServices(IServiceCollection services);

    static partial void ConfigureJwtServices(IServiceCollection services);

    static partial void MapSessions(WebApplication app);

    static partial void MapBasic(WebApplication app);

    static partial void MapJwt(WebApplication app);
}
