using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Text;

namespace PovertyNews.Web.Newsroom.SensitiveWords;

/// <summary>One piece of reader-visible text to check: a field of an article, a topic, a comment….</summary>
/// <param name="Name">The input's property name, so a refusal lands on its field.</param>
/// <param name="Label">What the form calls it (标题, 正文…), for the report.</param>
/// <param name="IsMarkdown">Read as a reader sees the rendered text, so markup does not hide a word.</param>
public sealed record ScreenedText(string Name, string Label, bool IsMarkdown, bool Multiline, string? Text);

/// <summary>
/// The sensitive-word list applied to any feature's text: every listed word reported with its place
/// (<see cref="ScreenAsync"/>), and replace-words masked (<see cref="ReplaceAsync"/>). Articles, topics and comments
/// all read their text through this, so a word listed once is found the same way everywhere.
/// </summary>
public sealed class TextScreening(NewsDbContext db, SensitiveWordCache cache, MarkdownRenderer markdown, ILogger<TextScreening> logger)
{
    public async Task<SensitiveWordReport> ScreenAsync(IEnumerable<ScreenedText> texts, CancellationToken ct)
    {
        var list = await cache.GetAsync(db, ct);
        if (list.Count == 0)
        {
            return SensitiveWordReport.Empty;
        }
        var hits = new List<SensitiveWordHit>();
        var omitted = 0;
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text.Text))
            {
                continue;
            }
            var projection = Project(text);
            var matches = list.Find(projection);
            if (matches.Count == 0)
            {
                continue;
            }
            var lines = SensitiveWordReport.LineStarts(text.Text);
            foreach (var match in matches)
            {
                if (hits.Count >= SensitiveWordReport.MaxHits)
                {
                    omitted++;
                    continue;
                }
                var (start, end) = projection.SourceRange(match.Start, match.End);
                hits.Add(SensitiveWordReport.Hit(text.Name, text.Label, text.Multiline, match.Entry, text.Text, lines, start, end,
                    projection.Hidden(match.Start, match.End).Select(h => h.CodePoint)));
            }
        }
        return new SensitiveWordReport(hits, omitted);
    }

    /// <summary>
    /// Masks every replace-word with one <see cref="SensitiveWord.Mask"/> per character, leaving markup and everything
    /// else as typed. Returns the words replaced with their counts, and each text after replacement (the same string
    /// when nothing in it was replaced), in the order given.
    /// </summary>
    public async Task<(IReadOnlyList<ReplacedWord> Replaced, IReadOnlyList<string?> Texts)> ReplaceAsync(
        IReadOnlyList<ScreenedText> texts, CancellationToken ct)
    {
        var list = await cache.GetAsync(db, ct);
        var results = texts.Select(t => t.Text).ToArray();
        if (list.Count == 0)
        {
            return ([], results);
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i].Text))
            {
                continue;
            }
            var projection = Project(texts[i]);
            var replace = list.Find(projection).Where(m => m.Entry.Action == SensitiveWordAction.Replace).ToList();
            if (replace.Count == 0)
            {
                continue;
            }
            foreach (var match in replace)
            {
                counts[match.Entry.Word] = counts.GetValueOrDefault(match.Entry.Word) + 1;
            }
            results[i] = projection.Mask(replace.Select(m => (m.Start, m.End)), SensitiveWord.Mask);
        }
        return ([.. counts.Select(c => new ReplacedWord(c.Key, c.Value))], results);
    }

    /// <summary>The text as readers see it. A body Markdig refuses is read as plain text, so its words are still found.</summary>
    private TextProjection Project(ScreenedText text)
    {
        if (!text.IsMarkdown)
        {
            return TextProjection.OfPlainText(text.Text!);
        }
        try
        {
            return TextProjection.OfMarkdown(text.Text!, markdown.ParseWithSourcePositions(text.Text!));
        }
        catch (MarkdownRejectedException ex)
        {
            logger.LogDebug("{Field} read as plain text for the sensitive-word check: {Reason}", text.Name, ex.Message);
            return TextProjection.OfPlainText(text.Text!);
        }
    }
}
