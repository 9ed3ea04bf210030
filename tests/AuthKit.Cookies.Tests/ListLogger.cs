using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuthKit.Cookies.Tests;

internal sealed class ListLogger : ILogger, ILoggerProvider
{
    private readonly ConcurrentQueue<(int Id, string Message)> _entries = new();

    public IReadOnlyList<string> Messages => [.. _entries.Select(e => e.Message)];

    public int Count(int eventId) => _entries.Count(e => e.Id == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId.Id, formatter(state, exception)));

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }
}
