using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cossistant.Client.IntegrationTests.Infrastructure;

/// <summary>Records every log line (formatted message and exception text) at every level.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly ConcurrentQueue<(Func<CapturedLog, bool> Match, TaskCompletionSource<CapturedLog> Logged)> _waiters = new();

    /// <summary>Every captured entry, in order.</summary>
    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>How many entries were captured.</summary>
    public int Count => _entries.Count;

    /// <summary>The entries at <paramref name="minimum"/> or above.</summary>
    public IReadOnlyList<CapturedLog> AtLeast(LogLevel minimum) => [.. _entries.Where(entry => entry.Level >= minimum)];

    /// <summary>Every captured line: category, level, message and exception text.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(entry => entry.ToString())];

    /// <summary>A logger factory at <see cref="LogLevel.Trace"/> that writes to this provider only.</summary>
    public ILoggerFactory CreateFactory() =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>Completes with the first entry (already captured or still to come) that matches.</summary>
    public Task<CapturedLog> WhenLoggedAsync(Func<CapturedLog, bool> match, string what, int timeoutMs = 15_000)
    {
        var logged = new TaskCompletionSource<CapturedLog>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((match, logged));
        if (_entries.FirstOrDefault(match) is { } entry)
        {
            logged.TrySetResult(entry);
        }

        return Until.Bound(logged.Task, what, timeoutMs);
    }

    private void Add(CapturedLog entry)
    {
        _entries.Enqueue(entry);
        foreach (var (match, logged) in _waiters)
        {
            if (!logged.Task.IsCompleted && match(entry))
            {
                logged.TrySetResult(entry);
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(pair => $"{pair.Key}={pair.Value}"))
                : state?.ToString() ?? string.Empty;
            owner.Add(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

/// <summary>One captured log entry.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string StateValues, string? Exception)
{
    public override string ToString() =>
        $"[{Level}] {Category} ({EventId.Id}): {Message} | {StateValues}" + (Exception is null ? string.Empty : Environment.NewLine + Exception);
}
