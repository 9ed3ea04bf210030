using System.Diagnostics;
using System.Globalization;

namespace AuthKit.FileStore.Tests;

/// <summary>Several OS processes on one directory: the guarantees must hold across processes, not just threads.</summary>
public sealed class FileSessionStoreProcessTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Three_processes_lose_no_update_and_no_record()
    {
        const int workers = 3;
        const int perWorker = 120;
        var store = FileStoreFactory.Create(_directory.Path, TimeProvider.System);
        var sessionId = SessionIds.Create();
        Assert.True(await store.CreateAsync(WorkerProcess.CounterRecord(sessionId, 0, 256), Ct));

        var processes = new List<Process>();
        try
        {
            for (var i = 0; i < workers; i++)
            {
                processes.Add(WorkerProcess.Start("increment", Variables(sessionId, perWorker, i)));
            }

            var outputs = await RunTogetherAsync(processes);

            // Compare-and-set across processes: every increment that reported success is in the counter, and the version counts them.
            var final = await store.GetAsync(SessionKey.FromSessionId(sessionId), Ct);
            Assert.NotNull(final);
            Assert.Equal(workers * perWorker, WorkerProcess.CounterOf(final));
            Assert.Equal(1 + (workers * perWorker), final.Version);
            Assert.True(WorkerProcess.IsConsistent(final));

            // No lost records, and the per-user index is exact across processes.
            var created = outputs.SelectMany(o => o).Where(l => l.StartsWith("created ", StringComparison.Ordinal)).Select(l => l["created ".Length..]).ToHashSet();
            Assert.Equal(workers * perWorker, created.Count);
            foreach (var hex in created)
            {
                Assert.True(SessionKey.TryParse(hex, out var key));
                Assert.NotNull(await store.GetAsync(key, Ct));
            }

            var listed = new HashSet<string>();
            await foreach (var r in store.ListByUserAsync(WorkerProcess.SharedUser, Ct))
            {
                listed.Add(r.Key.ToString());
            }

            Assert.Equal(created.Order(), listed.Order());
            Assert.Equal(workers * perWorker, await store.RemoveByUserAsync(WorkerProcess.SharedUser, Ct));
            Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "tmp")));

            var conflicts = outputs.SelectMany(o => o).Where(l => l.StartsWith("conflicts ", StringComparison.Ordinal)).Sum(l => int.Parse(l["conflicts ".Length..], CultureInfo.InvariantCulture));
            TestContext.Current.TestOutputHelper?.WriteLine($"{workers} processes, {workers * perWorker} increments, {conflicts} lost compare-and-set attempts retried.");
        }
        finally
        {
            KillAll(processes);
        }
    }

    [Fact]
    public async Task Writer_killed_mid_write_never_leaves_a_torn_record()
    {
        var store = FileStoreFactory.Create(_directory.Path, TimeProvider.System);
        var sessionId = SessionIds.Create();
        var key = SessionKey.FromSessionId(sessionId);
        Assert.True(await store.CreateAsync(WorkerProcess.CounterRecord(sessionId, 0, 64 * 1024), Ct));

        var reads = 0;
        var lastCounter = 0;
        for (var round = 0; round < 4; round++)
        {
            using var writer = WorkerProcess.Start("write-forever", Variables(sessionId, 0, round));
            try
            {
                await WaitForLineAsync(writer, "ready");
                await writer.StandardInput.WriteLineAsync("go");
                await writer.StandardInput.FlushAsync(Ct);

                // Read while the other process rewrites the 64 KB record as fast as it can, until it has made progress,
                // then kill it (SIGKILL) at whatever point of a write it has reached.
                var deadline = Stopwatch.StartNew();
                var target = Random.Shared.Next(5, 40);
                while (true)
                {
                    var read = await store.GetAsync(key, Ct);
                    reads++;
                    Assert.NotNull(read);
                    Assert.True(WorkerProcess.IsConsistent(read), "A reader saw an inconsistent record.");
                    Assert.True(WorkerProcess.CounterOf(read) >= lastCounter);
                    lastCounter = WorkerProcess.CounterOf(read);
                    if (lastCounter >= target * (round + 1) || deadline.Elapsed > ProcessTimeout)
                    {
                        break;
                    }
                }

                if (writer.HasExited)
                {
                    Assert.Fail($"The writer stopped by itself: {await writer.StandardError.ReadToEndAsync(Ct)}");
                }
            }
            finally
            {
                writer.Kill(entireProcessTree: true);
                await writer.WaitForExitAsync(Ct);
            }

            var after = await store.GetAsync(key, Ct);
            Assert.NotNull(after);
            Assert.True(WorkerProcess.IsConsistent(after));
            lastCounter = WorkerProcess.CounterOf(after);
        }

        Assert.True(lastCounter > 0, "The writer processes made no progress.");

        // The kernel released the dead writers' locks; the sweep removes any temporary file they left.
        await store.SweepAsync(Ct);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "tmp")));
        var final = await store.GetAsync(key, Ct);
        Assert.True(await store.UpdateAsync(WorkerProcess.CounterRecord(sessionId, WorkerProcess.CounterOf(final!) + 1, 16), final!.Version, Ct));
        TestContext.Current.TestOutputHelper?.WriteLine($"{reads} consistent reads while 4 writer processes were killed mid-write; counter reached {lastCounter}.");
    }

    private Dictionary<string, string> Variables(string sessionId, int count, int id) => new()
    {
        [WorkerProcess.DirectoryVariable] = _directory.Path,
        [WorkerProcess.KeyVariable] = sessionId,
        [WorkerProcess.CountVariable] = count.ToString(CultureInfo.InvariantCulture),
        [WorkerProcess.IdVariable] = id.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Waits until every worker is ready, lets them all go at once, and collects their output.</summary>
    private static async Task<List<List<string>>> RunTogetherAsync(List<Process> processes)
    {
        foreach (var p in processes)
        {
            await WaitForLineAsync(p, "ready");
        }

        foreach (var p in processes)
        {
            await p.StandardInput.WriteLineAsync("go");
            await p.StandardInput.FlushAsync(Ct);
        }

        var outputs = new List<List<string>>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(ProcessTimeout);
        foreach (var p in processes)
        {
            var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
            await p.WaitForExitAsync(timeout.Token);
            Assert.True(p.ExitCode == 0, $"Worker exited with {p.ExitCode}: {await stderr}");
            outputs.Add([.. (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
        }

        return outputs;
    }

    private static async Task WaitForLineAsync(Process process, string expected)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(ProcessTimeout);
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != expected)
        {
            var error = process.HasExited ? await process.StandardError.ReadToEndAsync(Ct) : string.Empty;
            Assert.Fail($"Worker said '{line}' instead of '{expected}'. {error}");
        }
    }

    private static void KillAll(List<Process> processes)
    {
        foreach (var p in processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }
    }
}
