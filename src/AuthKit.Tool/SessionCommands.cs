using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AuthKit.Tool;

/// <summary><c>authkit sessions list | revoke | stats</c> on the app's own store, for incident response.</summary>
internal static class SessionCommands
{
    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "The app's configuration file (default: appsettings.json, and appsettings.{DOTNET_ENVIRONMENT}.json, in the current directory). Environment variables apply on top, as in the app.",
            Recursive = true,
        };
        var store = new Option<string>("--store")
        {
            Description = "file or redis: which configured store the app uses (needed only when both AuthKit:FileStore and AuthKit:RedisStore are set).",
            Recursive = true,
        };
        store.AcceptOnlyFromAmong(StoreHost.File, StoreHost.Redis);
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Log the store's activity to standard error.",
            Recursive = true,
        };

        var user = new Option<string>("--user") { Description = "The user's ID, as the app stores it (the NameIdentifier claim, or the claim the app chose).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var list = new Command("list", "Lists a user's sessions and refresh-token families (the store's exact per-user index): handle, kind, created, last seen, expiry.") { user, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var host = StoreHost.Open(AppConfiguration.Load(parse.GetValue(config)), parse.GetValue(store), parse.GetValue(verbose));
            await using var hostScope = host.ConfigureAwait(false);
            var userId = parse.GetValue(user)!;
            var records = await host.RunAsync(async s =>
            {
                var found = new List<SessionRecord>();
                await foreach (var r in s.ListByUserAsync(userId, cancellationToken).ConfigureAwait(false))
                {
                    found.Add(r);
                }

                return found;
            }).ConfigureAwait(false);
            await Console.Out.WriteAsync(parse.GetValue(json) ? ListJson(userId, host, records) : ListTable(userId, host, records)).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var revokeUser = new Option<string>("--user") { Description = "The user whose sessions end: every session and refresh-token family of this user ID.", Required = true };
        var handle = new Option<string>("--handle") { Description = "End only this session (a handle from 'authkit sessions list')." };
        var revoke = new Command("revoke", "Signs a user out everywhere now: removes every session and refresh-token family of the user from the store (or one, with --handle). Their next request is anonymous; access tokens already issued live until they expire.")
        {
            revokeUser, handle,
        };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            var host = StoreHost.Open(AppConfiguration.Load(parse.GetValue(config)), parse.GetValue(store), parse.GetValue(verbose));
            await using var hostScope = host.ConfigureAwait(false);
            var userId = parse.GetValue(revokeUser)!;
            if (parse.GetValue(handle) is { } text)
            {
                if (!SessionKey.TryParse(text, out var key))
                {
                    throw ToolException.Usage($"--handle '{text}' is not a session handle (64 hexadecimal characters, as 'authkit sessions list' prints them).");
                }

                // Only a session of this user: a handle typed for the wrong user removes nothing.
                var removed = await host.RunAsync(async s =>
                {
                    var record = await s.GetAsync(key, cancellationToken).ConfigureAwait(false);
                    return record is not null && string.Equals(record.UserId, userId, StringComparison.Ordinal)
                        && await s.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                if (!removed)
                {
                    await Console.Error.WriteLineAsync($"authkit: user '{userId}' has no session {text} in the {host.Kind} store at {host.Where} (expired, already revoked, or another user's). 'authkit sessions list --user {userId}' shows the current ones.").ConfigureAwait(false);
                    return ExitCodes.Refused;
                }

                await Console.Out.WriteLineAsync($"Revoked session {text} of user '{userId}' ({host.Kind} store at {host.Where}).").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var count = await host.RunAsync(async s => await s.RemoveByUserAsync(userId, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Revoked {count} record{(count == 1 ? "" : "s")} (sessions and refresh-token families) of user '{userId}' ({host.Kind} store at {host.Where}).").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var statsJson = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var stats = new Command("stats", "Counts what the store holds (records, users indexed, expired records awaiting the sweep) from its layout, without reading records.") { statsJson };
        stats.SetAction(async (parse, cancellationToken) =>
        {
            var host = StoreHost.Open(AppConfiguration.Load(parse.GetValue(config)), parse.GetValue(store), parse.GetValue(verbose));
            await using var hostScope = host.ConfigureAwait(false);
            var figures = await StoreStatistics.CollectAsync(host, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteAsync(parse.GetValue(statsJson) ? StatsJson(figures) : StatsText(figures)).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        return new Command("sessions", "Lists, revokes and counts sessions in the app's store (the file store or Redis), from the app's own configuration.")
        {
            config, store, verbose, list, revoke, stats,
        };
    }

    private static string ListTable(string userId, StoreHost host, List<SessionRecord> records)
    {
        var text = new StringBuilder();
        if (records.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{"HANDLE",-64}  {"KIND",-13}  {"CREATED (UTC)",-19}  {"LAST SEEN (UTC)",-19}  {"EXPIRES (UTC)",-19}  SCHEME\n");
            foreach (var r in records.OrderBy(r => r.CreatedAt))
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.Key,-64}  {Kind(r.Kind),-13}  {Time(r.CreatedAt),-19}  {Time(r.LastSeenAt),-19}  {Time(r.ExpiresAt),-19}  {r.AuthenticationScheme ?? "-"}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"{records.Count} record{(records.Count == 1 ? "" : "s")} of user '{userId}' in the {host.Kind} store at {host.Where}.\n");
        return text.ToString();
    }

    private static string ListJson(string userId, StoreHost host, List<SessionRecord> records)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("user", userId);
            w.WriteString("store", host.Kind);
            w.WriteString("where", host.Where);
            w.WriteStartArray("records");
            foreach (var r in records.OrderBy(r => r.CreatedAt))
            {
                w.WriteStartObject();
                w.WriteString("handle", r.Key.ToString());
                w.WriteString("kind", Kind(r.Kind));
                w.WriteString("createdAt", r.CreatedAt);
                w.WriteString("lastSeenAt", r.LastSeenAt);
                w.WriteString("idleExpiresAt", r.IdleExpiresAt);
                w.WriteString("absoluteExpiresAt", r.AbsoluteExpiresAt);
                w.WriteString("scheme", r.AuthenticationScheme);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length) + "\n";
    }

    private static string StatsText(StoreStatistics s)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{s.Kind} store at {s.Where}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {"capabilities",-24} {s.Capabilities}\n");
        foreach (var (name, value) in s.Figures)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name,-24} {value}\n");
        }

        return text.ToString();
    }

    private static string StatsJson(StoreStatistics s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("store", s.Kind);
            w.WriteString("where", s.Where);
            w.WriteString("capabilities", s.Capabilities.ToString());
            foreach (var (name, value) in s.Figures)
            {
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    w.WriteNumber(name, number);
                }
                else
                {
                    w.WriteString(name, value);
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length) + "\n";
    }

    private static string Kind(SessionRecordKind kind) => kind switch
    {
        SessionRecordKind.Session => "session",
        SessionRecordKind.RefreshToken => "refresh-token",
        SessionRecordKind.RevokedToken => "revoked-jti",
        _ => kind.ToString(),
    };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
