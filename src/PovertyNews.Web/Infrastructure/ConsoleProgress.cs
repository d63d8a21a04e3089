using System.Diagnostics;
using System.Globalization;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// A one-line progress bar for long commands, redrawn in place on a terminal and printed every ten percent
/// when the output is a file or a pipe (so CI logs stay readable).
/// </summary>
public sealed class ConsoleProgress(TextWriter output, string label, bool redraw) : IProgress<(int Done, int Total)>
{
    private readonly Stopwatch watch = Stopwatch.StartNew();
    private int lastDecile = -1;
    private long lastDraw;

    public TimeSpan Elapsed => watch.Elapsed;

    public void Report((int Done, int Total) value)
    {
        var (done, total) = value;
        var fraction = total == 0 ? 1 : Math.Clamp(done / (double)total, 0, 1);
        var rate = done / Math.Max(watch.Elapsed.TotalSeconds, 1e-3);
        if (redraw)
        {
            if (done < total && watch.ElapsedMilliseconds - lastDraw < 100)
            {
                return;
            }
            lastDraw = watch.ElapsedMilliseconds;
            var filled = (int)(fraction * 30);
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {done:N0}/{total:N0} {rate:N0}/s  "));
            if (done >= total)
            {
                output.WriteLine();
            }
            return;
        }
        var decile = (int)(fraction * 10);
        if (decile != lastDecile)
        {
            lastDecile = decile;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} {fraction,4:P0} {done:N0}/{total:N0} {rate:N0}/s"));
        }
    }
}
