#if AUTHKIT_FUZZ
using System.Collections.Concurrent;
using System.Text;

namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>
/// Sends each input to the protected and the anonymous endpoint (a few at a time, so shared state is exercised concurrently)
/// and checks what a user relies on: never a 5xx or an unhandled exception, never a hang, 200 on the anonymous endpoint, the
/// protected endpoint open only to the real credentials, and a log line for every refused input.
/// </summary>
internal static class FuzzRunner
{
    private static readonly HashSet<int> RefusalStatuses = [400, 401, 403, 429];

    public static async Task<FuzzReport> RunAsync(FuzzHost host, IReadOnlyList<FuzzInput> inputs, int parallelism = 4)
    {
        var report = new FuzzReport();
        await Parallel.ForEachAsync(
            inputs,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = TestContext.Current.CancellationToken },
            async (input, _) =>
            {
                var protectedResponse = await host.SendAsync(FuzzHost.ProtectedPath, input);
                CheckProtected(host, input, protectedResponse, report);
                var anonymousResponse = await host.SendAsync(FuzzHost.AnonymousPath, input);
                report.Count(input.Kind, "anon", anonymousResponse.Status);
                if (anonymousResponse.Error is not null || anonymousResponse.Status != 200)
                {
                    report.Fail(input, FuzzHost.AnonymousPath, anonymousResponse, "the anonymous endpoint must answer 200");
                }
            });
        return report;
    }

    private static void CheckProtected(FuzzHost host, FuzzInput input, FuzzResponse response, FuzzReport report)
    {
        report.Count(input.Kind, "protected", response.Status);
        if (response.Error is not null || response.Status >= 500)
        {
            report.Fail(input, FuzzHost.ProtectedPath, response, "never a 5xx, an unhandled exception or a hang");
            return;
        }

        var authenticated = response.Status == 200;
        switch (input.Expect)
        {
            case Expect.Authenticated when !authenticated || response.Body != "user=" + FuzzHost.UserName:
                report.Fail(input, FuzzHost.ProtectedPath, response, "the real valid credentials must be accepted");
                return;
            case Expect.Refused when !RefusalStatuses.Contains(response.Status):
                report.Fail(input, FuzzHost.ProtectedPath, response, "altered or absent credentials must be refused with 400/401/403/429");
                return;
            case Expect.Either when !authenticated && !RefusalStatuses.Contains(response.Status):
                report.Fail(input, FuzzHost.ProtectedPath, response, "a variant of the valid credentials must be accepted or refused with 400/401/403/429");
                return;
            case Expect.Either when authenticated && response.Body is not ("user=" + FuzzHost.UserName) and not "user=mallory":
                report.Fail(input, FuzzHost.ProtectedPath, response, "accepted as the wrong user");
                return;
        }

        if (authenticated)
        {
            if (input.Expect == Expect.Either)
            {
                report.NoteAccepted(input);
            }

            return;
        }

        if (!input.LogsChecked)
        {
            return;
        }

        var logs = host.Logs.ForRequest(response.RequestId);
        if (logs.Count == 0)
        {
            report.Fail(input, FuzzHost.ProtectedPath, response, "a refused request must leave a log line");
            return;
        }

        host.SeenSessionCookies.TryGetValue(response.RequestId, out var cookie);
        var headerDecides = input.Authorization.Count == 1 && FuzzInputs.NamesAuthKitScheme(input.Authorization[0]);
        var handedToAuthKit = headerDecides ? input.ReachesAuthKitParser : input.CookieLogDue && !string.IsNullOrEmpty(cookie);
        if (handedToAuthKit && !logs.Any(e => e.IsAuthKitEvent))
        {
            report.Fail(input, FuzzHost.ProtectedPath, response, "input handed to an AuthKit scheme and refused must leave an AuthKit log line (event ids 2000-7999); got: "
                + string.Join(" / ", logs.Select(e => $"{e.Category}#{e.EventId}")));
        }
    }

    /// <summary>Asserts that no captured log line contains any of <paramref name="secrets"/> (message, structured values or exception).</summary>
    public static void AssertSecretsNotLogged(FuzzLogs logs, params string[] secrets)
    {
        var leaks = new List<string>();
        foreach (var entry in logs.Entries)
        {
            foreach (var secret in secrets)
            {
                if (secret.Length >= 8 && entry.Text.Contains(secret, StringComparison.Ordinal))
                {
                    leaks.Add($"{entry.Category}#{entry.EventId} ({entry.Level}) contains a secret ({secret[..4]}…): {entry.Text[..Math.Min(entry.Text.Length, 400)]}");
                }
            }
        }

        Assert.True(leaks.Count == 0, "Secrets reached the logs:\n" + string.Join('\n', leaks.Distinct().Take(20)));
    }
}

internal sealed class FuzzReport
{
    private const int ExamplesPerFailure = 3;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, string> _acceptedVariants = new(StringComparer.Ordinal);

    public int FailureCount => _failures.Count;

    /// <summary>Records a variant of the valid credentials that was accepted (allowed; listed in the test output for the record).</summary>
    public void NoteAccepted(FuzzInput input) => _acceptedVariants.TryAdd(input.ToString(), input.Kind);

    public void Count(string kind, string endpoint, int status) =>
        _statuses.AddOrUpdate($"{kind} {endpoint} {status}", 1, static (_, n) => n + 1);

    private static string Shorten(string body) => body.Length <= 80 ? body : body[..80] + "…";

    /// <summary>Keeps the first failing inputs of each kind, endpoint and symptom: one exact input to replay per defect.</summary>
    public void Fail(FuzzInput input, string path, FuzzResponse response, string rule)
    {
        var symptom = response.Error is not null ? response.Error.Split(':')[0] : response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var examples = _failures.GetOrAdd($"{input.Kind} {path} {symptom} {rule}", static _ => new ConcurrentQueue<string>());
        if (examples.Count < ExamplesPerFailure)
        {
            examples.Enqueue($"{path} -> {response.Status} {response.Error} {Shorten(response.Body)} (rule: {rule})\n    input: {input}");
        }
    }

    public void AssertClean()
    {
        if (_failures.IsEmpty)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append(_failures.Count).AppendLine(" distinct failures (the first inputs of each kind/endpoint/symptom):");
        foreach (var failure in _failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var example in failure.Value)
            {
                text.AppendLine(example);
            }
        }

        Assert.Fail(text.ToString());
    }

    /// <summary>Fails unless every kind was sent and answered with each listed status on the protected endpoint at least once: the generators really produce what the test claims.</summary>
    public void AssertCovered(params string[] kindAndStatus)
    {
        var missing = kindAndStatus.Where(k => !_statuses.Keys.Any(s => s.StartsWith(k.Split(' ')[0] + " protected " + (k.Contains(' ', StringComparison.Ordinal) ? k.Split(' ')[1] : string.Empty), StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "Not exercised: " + string.Join(", ", missing) + "\n" + Summary());
    }

    public string Summary() =>
        string.Join('\n', _statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}"))
        + "\nAccepted variants of the valid credentials (allowed):\n"
        + string.Join('\n', _acceptedVariants.Keys.Order(StringComparer.Ordinal).GroupBy(k => _acceptedVariants[k]).SelectMany(g => g.Take(8)));
}
#endif
