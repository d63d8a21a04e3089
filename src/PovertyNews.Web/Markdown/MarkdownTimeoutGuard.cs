using System.Runtime.ExceptionServices;

namespace PovertyNews.Web.Markdown;

/// <summary>Runs rendering work where a runaway input can neither overflow the stack nor keep the caller waiting.</summary>
internal static class MarkdownTimeoutGuard
{
    // Markdig and AngleSharp are recursive (the renderers walk the tree depth-first). A StackOverflowException cannot
    // be caught in .NET: it kills the whole process. Three guards, cheapest first:
    //  1. Before Markdig, a one-pass scan (MarkdownInputScan) refuses a line that opens more than MaxLineNesting
    //     containers (markers and indentation). This is not only about the stack: Markdig handles a line that opens d
    //     containers in O(d²), so "- " repeated 10,000 times costs seconds before Markdig's own limit fires.
    //  2. Markdig 1.x refuses a syntax tree deeper than MaximumNestingDepth (it throws ArgumentException while parsing,
    //     which we turn into MarkdownRejectedException). This is the real parser's view, so it also covers what no
    //     line scan sees (nested emphasis, links, images; lazy continuation lines), and the HTML produced is then no
    //     deeper than that either, which bounds the sanitizer and the serializer.
    //  3. All the work runs on a dedicated thread with a 64 MB stack (reserved, not committed, so it costs no real
    //     memory), so any recursive path the limits above miss has ~40 times the head room of a thread-pool thread.
    //     The dedicated thread also lets the caller stop waiting after RenderTimeout.
    private const int WorkerStackSize = 64 * 1024 * 1024;

    /// <summary>Runs <paramref name="work"/> on a fresh thread with a large stack; see the comment on <see cref="WorkerStackSize"/>.</summary>
    public static T Run<T>(Func<T> work, TimeSpan timeout)
    {
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            WorkerStackSize)
        {
            IsBackground = true,
            Name = "markdown-render",
        };
        thread.Start();

        // .NET cannot abort a thread: on timeout the worker finishes in the background (the length and block-cost
        // limits keep that bounded) and the caller gets its answer now.
        if (!thread.Join(timeout))
        {
            throw new MarkdownRejectedException(MarkdownLimits.TimeoutMessage);
        }

        failure?.Throw();
        return result!;
    }
}
