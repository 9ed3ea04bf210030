using System.Buffers.Binary;
using System.Diagnostics;
using AuthKit.Sessions.File;

namespace AuthKit.FileStore.Tests;

/// <summary>
/// Lets the tests run this test assembly again as a separate OS process that works on a shared store directory: the child
/// is started with this assembly as its <c>DOTNET_STARTUP_HOOKS</c>, so <see cref="global::StartupHook"/> runs the worker
/// and exits before the test platform's entry point. No extra project is needed. (A module initializer cannot do it: it
/// runs inside the module's type initializer, which async continuations on other threads would wait for.)
/// </summary>
internal static class WorkerProcess
{
    public const string ModeVariable = "AUTHKIT_FILESTORE_WORKER";
    public const string DirectoryVariable = "AUTHKIT_FILESTORE_DIR";
    public const string KeyVariable = "AUTHKIT_FILESTORE_KEY";
    public const string CountVariable = "AUTHKIT_FILESTORE_COUNT";
    public const string IdVariable = "AUTHKIT_FILESTORE_ID";
    public const string SharedUser = "shared-user";

    internal static void RunIfWorker()
    {
        var mode = Environment.GetEnvironmentVariable(ModeVariable);
        if (string.IsNullOrEmpty(mode))
        {
            return;
        }

        int code;
        try
        {
            code = RunAsync(mode).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(ex);
            code = 2;
        }

        Console.Out.Flush();
        Environment.Exit(code);
    }

    /// <summary>Starts this assembly as a worker process; standard input and output are redirected.</summary>
    public static Process Start(string mode, IReadOnlyDictionary<string, string> variables)
    {
        var assembly = typeof(WorkerProcess).Assembly.Location;
        var self = Environment.ProcessPath;
        var start = new ProcessStartInfo
        {
            FileName = self is not null && Path.GetFileName(self) is "dotnet" or "dotnet.exe"
                ? self
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[ModeVariable] = mode;
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
    }

    public static SessionRecord CounterRecord(string sessionId, int counter, int payloadBytes)
    {
        var now = DateTimeOffset.UtcNow;
        var n = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(n, counter);
        var payload = new byte[payloadBytes];
        Array.Fill(payload, (byte)counter);
        return new SessionRecord
        {
            Key = SessionKey.FromSessionId(sessionId),
            UserId = "counter-owner",
            Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["n"] = n, ["payload"] = payload },
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddHours(1),
            AbsoluteExpiresAt = now.AddHours(2),
        };
    }

    public static int CounterOf(SessionRecord record) => BinaryPrimitives.ReadInt32LittleEndian(record.Data["n"].Span);

    /// <summary>A record is consistent when its payload matches its counter and its version counts every increment.</summary>
    public static bool IsConsistent(SessionRecord record)
    {
        var n = CounterOf(record);
        return record.Version == n + 1 && record.Data["payload"].Span.IndexOfAnyExcept((byte)n) < 0;
    }

    private static async Task<int> RunAsync(string mode)
    {
        var store = FileStoreFactory.Create(Environment.GetEnvironmentVariable(DirectoryVariable)!, TimeProvider.System);
        var sessionId = Environment.GetEnvironmentVariable(KeyVariable)!;
        var key = SessionKey.FromSessionId(sessionId);
        Console.WriteLine("ready");
        Console.Out.Flush();
        if (Console.ReadLine() != "go")
        {
            return 3;
        }

        switch (mode)
        {
            case "increment":
                return await IncrementAndCreateAsync(store, sessionId, key);
            case "write-forever":
                while (true)
                {
                    await IncrementAsync(store, sessionId, key, payloadBytes: 64 * 1024);
                }

            default:
                return 4;
        }
    }

    /// <summary>Interleaves compare-and-set increments of one shared record with creates of new records of one shared user.</summary>
    private static async Task<int> IncrementAndCreateAsync(FileSessionStore store, string sessionId, SessionKey key)
    {
        var count = int.Parse(Environment.GetEnvironmentVariable(CountVariable)!, System.Globalization.CultureInfo.InvariantCulture);
        var worker = Environment.GetEnvironmentVariable(IdVariable)!;
        var conflicts = 0;
        for (var i = 0; i < count; i++)
        {
            conflicts += await IncrementAsync(store, sessionId, key, payloadBytes: 256);

            var now = DateTimeOffset.UtcNow;
            var id = SessionIds.Create();
            var created = new SessionRecord
            {
                Key = SessionKey.FromSessionId(id),
                UserId = SharedUser,
                Data = new Dictionary<string, ReadOnlyMemory<byte>> { ["worker"] = System.Text.Encoding.UTF8.GetBytes(worker) },
                CreatedAt = now,
                LastSeenAt = now,
                IdleExpiresAt = now.AddHours(1),
                AbsoluteExpiresAt = now.AddHours(2),
            };
            if (!await store.CreateAsync(created))
            {
                return 5;
            }

            Console.WriteLine("created " + created.Key);
        }

        Console.WriteLine("conflicts " + conflicts);
        return 0;
    }

    /// <returns>How many compare-and-set attempts lost to another writer.</returns>
    private static async Task<int> IncrementAsync(FileSessionStore store, string sessionId, SessionKey key, int payloadBytes)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            var current = await store.GetAsync(key) ?? throw new InvalidOperationException("The shared record is gone.");
            if (!IsConsistent(current))
            {
                throw new InvalidOperationException("Read an inconsistent record.");
            }

            var next = CounterRecord(sessionId, CounterOf(current) + 1, payloadBytes);
            if (await store.UpdateAsync(next, current.Version))
            {
                return conflicts;
            }
        }
    }
}
