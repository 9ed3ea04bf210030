namespace AuthKit.IntegrationTests;

/// <summary>One WebApp sample process on a loopback port chosen by the OS, with its own data folder.</summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly SampleProcess _process;
    private readonly string _dataDirectory;
    private readonly bool _ownsData;

    private WebAppProcess(SampleProcess process, string dataDirectory, bool ownsData, Uri url)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _ownsData = ownsData;
        Url = url;
    }

    public Uri Url { get; }

    public string DataDirectory => _dataDirectory;

    public string Output => _process.Output;

    public static async Task<WebAppProcess> StartAsync(string store = "file", string? dataDirectory = null, string instanceName = "solo", string? url = null, params string[] extraArguments)
    {
        var ownsData = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), $"authkit-webapp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        string[] args =
        [
            "--urls", url ?? "http://127.0.0.1:0",
            $"--AuthKitSample:Store={store}",
            $"--AuthKitSample:InstanceName={instanceName}",
            $"--AuthKitSample:DataDirectory={dataDirectory}",
            $"--AuthKitSample:ParentProcessId={Environment.ProcessId}",
            // Keep the generated AuthKit key beside the data, not in the user's profile.
            $"--AuthKit:KeyFile={Path.Combine(dataDirectory, "authkit-keys.json")}",
            // Plain HTTP outside Development: the /admin area's Basic needs the opt-in whose name says what it is.
            "--AuthKit:AllowInsecureHttp=true",
            .. extraArguments,
        ];
        var process = SampleProcess.Start(SamplePaths.WebApp, args);
        try
        {
            var match = await process.WaitForLineAsync($@"AuthKit sample instance {instanceName} listening on (https?://\S+)", StartTimeout);
            return new WebAppProcess(process, dataDirectory, ownsData, new Uri(match.Groups[1].Value));
        }
        catch
        {
            await process.DisposeAsync();
            if (ownsData)
            {
                ClusterProcess.TryDelete(dataDirectory);
            }

            throw;
        }
    }

    /// <summary>Stops the process as Ctrl+C would, then makes sure it is gone; the data folder stays.</summary>
    public async Task StopAsync()
    {
        await _process.InterruptAsync(TimeSpan.FromSeconds(20));
        await _process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (_ownsData)
        {
            ClusterProcess.TryDelete(_dataDirectory);
        }
    }
}
