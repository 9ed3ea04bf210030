#pragma warning disable CA1050 // The runtime looks the startup hook up by this exact name, outside any namespace.
/// <summary>The startup hook of worker processes (see <see cref="AuthKit.FileStore.Tests.WorkerProcess"/>).</summary>
internal static class StartupHook
{
    public static void Initialize() => AuthKit.FileStore.Tests.WorkerProcess.RunIfWorker();
}
#pragma warning restore CA1050
