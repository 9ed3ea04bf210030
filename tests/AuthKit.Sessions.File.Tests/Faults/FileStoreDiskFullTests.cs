using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.FileStore.Tests.Faults;

/// <summary>
/// The file store on a real full disk: a small tmpfs, filled up by blocks (the write of the new record fails) or by inodes (the
/// temporary file cannot be created). Each refused write surfaces as <see cref="SessionStoreException"/> (what the session scheme
/// answers with 503), no committed record is torn or lost, no temporary file is left behind, and the store recovers by itself
/// once space comes back. Needs root and tmpfs (skipped elsewhere).
/// </summary>
public sealed class FileStoreDiskFullTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _mount = Path.Combine(Path.GetTempPath(), "authkit-diskfull-" + Guid.NewGuid().ToString("N"));
    private bool _mounted;

    [Fact]
    public async Task A_full_disk_refuses_writes_with_a_store_error_and_keeps_every_committed_record()
    {
        Mount("size=512k");
        await RunAsync(fill: FillBlocks);
    }

    [Fact]
    public async Task A_disk_out_of_inodes_refuses_writes_with_a_store_error_and_keeps_every_committed_record()
    {
        Mount("size=4m,nr_inodes=64");
        await RunAsync(fill: FillInodes);
    }

    [Fact]
    public async Task Requests_that_write_to_a_full_disk_answer_503_and_signed_in_users_keep_their_session()
    {
        Mount("size=512k");
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthKit(o => o.ApplicationName = "disk-full").AddSessions().UseFileSessionStore(o => o.Directory = Path.Combine(_mount, "store"));
        await using var app = builder.Build();
        app.UseAuthKit();
        app.MapPost("/login", async (HttpContext context) =>
        {
            await context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice"), new Claim(ClaimTypes.Name, "alice")], "test")));
            return "signed in";
        });
        app.MapPost("/cart", (HttpContext context) =>
        {
            context.Session.Set("cart", new byte[4096]);
            return "saved";
        }).RequireAuthorization();
        app.MapGet("/me", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

        using var login = await client.PostAsync(address + "/login", null, ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        var cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];

        var free = FillBlocks(Path.Combine(_mount, "filler"));
        using (var refused = await client.PostAsync(address + "/login", null, ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Set-Cookie"));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(client, HttpMethod.Post, address + "/cart", cookie, ct)).StatusCode);
        using (var me = await SendAsync(client, HttpMethod.Get, address + "/me", cookie, ct))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal("alice", await me.Content.ReadAsStringAsync(ct));
        }

        free();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, address + "/cart", cookie, ct)).StatusCode);
        using var again = await client.PostAsync(address + "/login", null, ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await app.StopAsync(ct);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string cookie, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request, ct);
    }

    private async Task RunAsync(Func<string, Action> fill)
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(Start);
        var store = FileStoreFactory.Create(Path.Combine(_mount, "store"), time);
        var committed = new List<SessionRecord>();
        for (var i = 0; i < 4; i++)
        {
            var record = NewRecord(i % 2 == 0 ? "alice" : null, 100 + i);
            Assert.True(await store.CreateAsync(record, ct));
            committed.Add(record with { Version = 1 });
        }

        var free = fill(Path.Combine(_mount, "filler"));

        foreach (var record in committed)
        {
            await Assert.ThrowsAsync<SessionStoreException>(async () => await store.UpdateAsync(record with { Data = Bag(2000) }, 1, ct));
        }

        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.CreateAsync(NewRecord("alice", 3000), ct));
        await Assert.ThrowsAsync<SessionStoreException>(async () => await store.CreateAsync(NewRecord(null, 3000), ct));
        await AssertCommittedAsync(store, committed, ct);

        free();
        foreach (var record in committed)
        {
            Assert.True(await store.UpdateAsync(record with { Data = Bag(2000) }, 1, ct));
            var read = await store.GetAsync(record.Key, ct);
            Assert.Equal(2, read!.Version);
            Assert.Equal(2000, read.Data["bag"].Length);
        }
    }

    private async Task AssertCommittedAsync(AuthKit.Sessions.File.FileSessionStore store, List<SessionRecord> committed, CancellationToken ct)
    {
        foreach (var record in committed)
        {
            var read = await store.GetAsync(record.Key, ct);
            Assert.NotNull(read);
            Assert.Equal(1, read.Version);
            Assert.Equal(record.UserId, read.UserId);
            Assert.Equal(record.Data["bag"].ToArray(), read.Data["bag"].ToArray());
        }

        var alice = new List<SessionKey>();
        await foreach (var r in store.ListByUserAsync("alice", ct))
        {
            alice.Add(r.Key);
        }

        Assert.Equal(committed.Where(r => r.UserId == "alice").Select(r => r.Key).Order(Comparer<SessionKey>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))),
            alice.Order(Comparer<SessionKey>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_mount, "store"), "*.tmp", SearchOption.AllDirectories));
    }

    private static SessionRecord NewRecord(string? userId, int size) => new()
    {
        Key = SessionKey.FromSessionId(SessionIds.Create(userId)),
        UserId = userId,
        CreatedAt = Start,
        LastSeenAt = Start,
        IdleExpiresAt = Start.AddHours(1),
        AbsoluteExpiresAt = Start.AddHours(8),
        Data = Bag(size),
    };

    private static Dictionary<string, ReadOnlyMemory<byte>> Bag(int size) =>
        new() { ["bag"] = Enumerable.Range(0, size).Select(i => (byte)i).ToArray() };

    /// <summary>Writes a file until the disk is full; the action deletes it.</summary>
    private static Action FillBlocks(string path)
    {
        var chunk = new byte[4096];
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            for (var i = 0; i < 100_000; i++)
            {
                try
                {
                    stream.Write(chunk);
                }
                catch (IOException)
                {
                    break;
                }
            }
        }

        return () => File.Delete(path);
    }

    /// <summary>Creates empty files until no inode is left; the action deletes them.</summary>
    private static Action FillInodes(string path)
    {
        Directory.CreateDirectory(path);
        var count = 0;
        for (; count < 100_000; count++)
        {
            try
            {
                File.Create(Path.Combine(path, count.ToString(System.Globalization.CultureInfo.InvariantCulture))).Dispose();
            }
            catch (IOException)
            {
                break;
            }
        }

        Assert.True(count < 100_000);
        return () => Directory.Delete(path, recursive: true);
    }

    private void Mount(string options)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Skip("Needs root on Linux to mount a small tmpfs.");
        }

        Directory.CreateDirectory(_mount);
        if (Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", _mount) != 0)
        {
            Assert.Skip("tmpfs cannot be mounted here.");
        }

        _mounted = true;
    }

    private static int Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(info)!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return -1;
            }

            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", _mount);
        }

        try
        {
            Directory.Delete(_mount, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
