using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>What the word gate found in text about to reach readers: the screening report, the words it replaced, or a body the renderer refused.</summary>
public sealed record ReaderTextVerdict(SensitiveWordReport Report, IReadOnlyList<ReplacedWord> Replaced, string? Rejected)
{
    public bool Passed => !Report.IsBlocked && Rejected is null;

    /// <summary>Why the text may not go out, naming the step; empty when it passed.</summary>
    public IReadOnlyList<string> Refusals(string stepName) =>
        Report.IsBlocked ? Report.BlockMessages(stepName) : Rejected is { } reason ? [$"正文无法显示，不能{stepName}：{reason}"] : [];
}
