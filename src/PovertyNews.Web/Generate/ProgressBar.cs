using System.Diagnostics;
using System.Globalization;

namespace PovertyNews.Web.Generate;

/// <summary>
/// <c>[#####.....] 45% 45,000/100,000 23,100/s</c>, redrawn in place on a terminal. When the writer is not a
/// terminal (a log file, CI), carriage returns would pile up into one enormous line, so it writes a plain line at
/// every tenth instead.
/// </summary>
public sealed class ProgressBar(TextWriter writer, string label, bool redraw) : IProgress<(int Done, int Total)>
{
    private const int Width = 30;
    private static readonly long MinRedrawTicks = Stopwatch.Frequency / 10;

    private readonly Lock _lock = new();
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _lastDraw = long.MinValue;
    private int _lastTenth = -1;
    private int _lastLength;
    private bool _drawn;

    public void Report((int Done, int Total) value) => Report(value.Done, value.Total);

    public void Report(int done, int total)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            if (redraw)
            {
                if (now - _lastDraw < MinRedrawTicks && done < total)
                {
                    return;
                }
                var line = Format(done, total);
                // Pad over the rest of a longer previous line.
                writer.Write("\r" + line.PadRight(_lastLength));
                writer.Flush();
                _lastLength = line.Length;
                _drawn = true;
            }
            else
            {
                var tenth = total <= 0 ? 10 : (int)(10L * done / total);
                if (tenth == _lastTenth)
                {
                    return;
                }
                _lastTenth = tenth;
                writer.WriteLine(Format(done, total));
            }
            _lastDraw = now;
        }
    }

    /// <summary>Ends the redrawn line, so what follows starts on a line of its own.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (redraw && _drawn)
            {
                writer.WriteLine();
                writer.Flush();
                _drawn = false;
            }
        }
    }

    private string Format(int done, int total)
    {
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(fraction * Width);
        var seconds = _watch.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? done / seconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}% {done:N0}/{total:N0} {rate:N0}/s");
    }
}
