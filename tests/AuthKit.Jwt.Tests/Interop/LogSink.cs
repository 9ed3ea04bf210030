using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AuthKit.Jwt.Tests.Interop;

/// <summary>
/// Collects errors and exceptions logged by AuthKit. <see cref="ITokenService.ValidateAsync"/> turns an unexpected exception into
/// <see cref="TokenValidationError.Malformed"/> and logs it (event 7004), so "never throws" alone would hide a crash in the parser:
/// the property and attack tests also assert that nothing landed here.
/// </summary>
internal sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error || exception is not null)
            {
                sink._entries.Enqueue($"{category} [{eventId.Id} {eventId.Name}] {formatter(state, exception)} {exception}");
            }
        }
    }
}
