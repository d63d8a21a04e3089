using System.Globalization;
using PovertyNews.Web.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace PovertyNews.Web.Operations.Logs;

/// <summary>One warning or error as the status page shows it; text with control characters escaped.</summary>
public sealed record RecentError(DateTimeOffset At, LogEventLevel Level, string Message, string? Exception);

/// <summary>
/// The last <see cref="Capacity"/> warnings and errors the app logged, in memory, for the administrators' status page:
/// a sink of the app's logger (registered in DI, picked up by <c>ReadFrom.Services</c>). Properties reach it already
/// escaped by <see cref="LogValueEscaping"/>; the exception's message is escaped here.
/// </summary>
public sealed class RecentErrors : ILogEventSink
{
    public const int Capacity = 50;

    private readonly Queue<RecentError> _events = new(Capacity);
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Level < LogEventLevel.Warning)
        {
            return;
        }
        var exception = logEvent.Exception is { } e ? LogValueEscaping.EscapeText($"{e.GetType().FullName}: {e.Message}") : null;
        var entry = new RecentError(logEvent.Timestamp, logEvent.Level,
            LogValueEscaping.EscapeText(logEvent.RenderMessage(CultureInfo.InvariantCulture)), exception);
        lock (_lock)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }
            _events.Enqueue(entry);
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<RecentError> Snapshot()
    {
        lock (_lock)
        {
            return _events.Reverse().ToList();
        }
    }
}
