#if AUTHKIT_FUZZ
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AuthKit.IntegrationTests.Fuzz;

/// <summary>One captured log entry: everything a log sink could persist (message, structured values, exception text).</summary>
internal sealed record FuzzLogEntry(string? RequestId, string Category, LogLevel Level, int EventId, string Text)
{
    /// <summary>A line written by AuthKit itself: an AuthKit category and an event id in the packages' ranges (Cookies 2000s … Jwt 7000s).</summary>
    public bool IsAuthKitEvent => Category.StartsWith("AuthKit", StringComparison.Ordinal) && EventId is >= 2000 and < 8000;
}

/// <summary>The per-request scope pushed by the fuzz host, so each log line can be traced to the input that caused it.</summary>
internal sealed class FuzzRequestScope(string id)
{
    public string Id { get; } = id;

    public override string ToString() => "FuzzRequest " + Id;
}

/// <summary>Captures every log line at every level, tagged with the fuzz request that was running when it was written.</summary>
internal sealed class FuzzLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<FuzzLogEntry> _entries = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FuzzLogEntry>> _byRequest = new(StringComparer.Ordinal);
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<FuzzLogEntry> Entries => _entries;

    public IReadOnlyCollection<FuzzLogEntry> ForRequest(string id) =>
        _byRequest.TryGetValue(id, out var entries) ? entries : [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Add<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var box = new StrongBox<string?>();
        _scopes?.ForEachScope(static (scope, b) =>
        {
            if (scope is FuzzRequestScope s)
            {
                b.Value = s.Id;
            }
        }, box);

        // A sink may store the structured values and the exception as well as the message: check them all for secrets.
        var text = new StringBuilder(formatter(state, exception));
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                text.Append(" | ").Append(key).Append('=').Append(value);
            }
        }

        if (exception is not null)
        {
            text.Append(" | ").Append(exception);
        }

        var entry = new FuzzLogEntry(box.Value, category, level, eventId.Id, text.ToString());
        _entries.Enqueue(entry);
        if (box.Value is { } id)
        {
            _byRequest.GetOrAdd(id, static _ => new ConcurrentQueue<FuzzLogEntry>()).Enqueue(entry);
        }
    }

    private sealed class Logger(FuzzLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(category, logLevel, eventId, state, exception, formatter);
    }
}
#endif
